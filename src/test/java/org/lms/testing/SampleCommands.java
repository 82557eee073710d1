package org.lms.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.AskQuestion;
import org.lms.domain.command.AssignInstructor;
import org.lms.domain.command.BootstrapAdmin;
import org.lms.domain.command.CloseSession;
import org.lms.domain.command.Command;
import org.lms.domain.command.CreateAssignment;
import org.lms.domain.command.CreateCourse;
import org.lms.domain.command.EndorseAnswer;
import org.lms.domain.command.EnrolStudent;
import org.lms.domain.command.ExpireSessions;
import org.lms.domain.command.GradeSubmission;
import org.lms.domain.command.OpenSession;
import org.lms.domain.command.RecordFeedbackDraft;
import org.lms.domain.command.ReferQuestion;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.command.ReleaseAssignmentGrades;
import org.lms.domain.command.ReleaseGrade;
import org.lms.domain.command.RemoveMaterial;
import org.lms.domain.command.SetCourseAi;
import org.lms.domain.command.SetPassword;
import org.lms.domain.command.SetUserDisabled;
import org.lms.domain.command.SubmitAssignment;
import org.lms.domain.command.UnenrolStudent;
import org.lms.domain.command.UpdateAssignment;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Role;

/**
 * Realistic sample commands: one term of a course told as a sequence of commands, with ids that
 * refer to each other, instants at millisecond precision and increasing in log order.
 */
public final class SampleCommands {

  /** The instant of the first command; every later command is some minutes after it. */
  public static final Instant START = Instant.parse("2025-09-01T08:00:00.125Z");

  public static final String ADMIN = "u-admin";
  public static final String INSTRUCTOR = "u-carol";
  public static final String SECOND_INSTRUCTOR = "u-erin";
  public static final String STUDENT = "u-alice";
  public static final String OTHER_STUDENT = "u-bob";
  public static final String COURSE = "c-dist-sys";
  public static final String ASSIGNMENT = "a-lab1";
  public static final String SUBMISSION = "s-lab1-alice-1";

  /** The SHA-256 of Alice's session token: the session's id (the token never enters the log). */
  public static final String STUDENT_SESSION = sha256("token-of-alice-7f3c9a");

  private SampleCommands() {}

  /**
   * At least one command of every type, every field set, in an order in which a state machine could
   * accept them all. A type with a nullable field also appears with that field null, as it happens
   * in real use: {@link SetPassword} by an administrator's reset (no session kept), {@link
   * AnswerQuestion} by an instructor (no model), {@link GradeSubmission} without feedback, {@link
   * CreateAssignment} without description. Booleans appear both true and false.
   */
  public static List<Command> oneOfEach() {
    var lab1Opens = at(30);
    var lab1Due = lab1Opens.plus(Duration.ofDays(14));
    var lab1Cutoff = lab1Due.plus(Duration.ofDays(2));
    var lab2Opens = lab1Due;
    return List.of(
        new BootstrapAdmin(ADMIN, "admin", hash("admin"), at(0)),
        new RegisterUser(
            INSTRUCTOR, "carol", "Carol Nakamura", Role.INSTRUCTOR, hash("carol"), ADMIN, at(1)),
        new RegisterUser(
            SECOND_INSTRUCTOR, "erin", "Erin Okafor", Role.INSTRUCTOR, hash("erin"), ADMIN, at(2)),
        new RegisterUser(
            STUDENT, "alice", "Alice Martin", Role.STUDENT, hash("alice"), ADMIN, at(3)),
        new RegisterUser(
            OTHER_STUDENT, "bob", "Bob Schmidt", Role.STUDENT, hash("bob"), ADMIN, at(4)),
        new RegisterUser("u-dana", "dana", "Dana Rossi", Role.ADMIN, hash("dana"), ADMIN, at(5)),
        new OpenSession(STUDENT_SESSION, STUDENT, at(6).plus(Duration.ofHours(8)), at(6)),
        new CreateCourse(
            COURSE, "CS-4510", "Distributed Systems", List.of(INSTRUCTOR), ADMIN, at(10)),
        new AssignInstructor(COURSE, SECOND_INSTRUCTOR, true, ADMIN, at(11)),
        new EnrolStudent(COURSE, STUDENT, INSTRUCTOR, at(12)),
        new EnrolStudent(COURSE, OTHER_STUDENT, ADMIN, at(13)),
        new AddMaterial(
            "m-raft-paper",
            COURSE,
            "In Search of an Understandable Consensus Algorithm",
            "raft-extended.pdf",
            245_760L,
            "application/pdf",
            sha256("raft-extended.pdf bytes"),
            INSTRUCTOR,
            at(20)),
        new CreateAssignment(
            ASSIGNMENT,
            COURSE,
            "Lab 1: Leader election",
            "Implement leader election with randomised timeouts; hand in a zip of your sources.",
            lab1Opens,
            lab1Due,
            lab1Cutoff,
            100,
            INSTRUCTOR,
            at(21)),
        new UpdateAssignment(
            ASSIGNMENT,
            "Lab 1: Leader election and heartbeats",
            "Implement leader election and heartbeats; hand in a zip of your sources.",
            lab1Opens,
            lab1Due.plus(Duration.ofDays(1)),
            lab1Cutoff.plus(Duration.ofDays(1)),
            120,
            SECOND_INSTRUCTOR,
            at(22)),
        new CreateAssignment(
            "a-lab2",
            COURSE,
            "Lab 2: Log replication",
            null,
            lab2Opens,
            lab2Opens.plus(Duration.ofDays(14)),
            lab2Opens.plus(Duration.ofDays(15)),
            100,
            INSTRUCTOR,
            at(23)),
        new SubmitAssignment(
            SUBMISSION,
            ASSIGNMENT,
            "lab1-alice.zip",
            18_432L,
            "application/zip",
            sha256("lab1-alice.zip bytes"),
            STUDENT,
            at(60)),
        new SubmitAssignment(
            "s-lab1-bob-1",
            ASSIGNMENT,
            "lab1.tar.gz",
            9_731L,
            "application/gzip",
            sha256("lab1-bob.tar.gz bytes"),
            OTHER_STUDENT,
            at(61)),
        new GradeSubmission(
            SUBMISSION,
            87.5,
            "Solid election timeouts; heartbeats too frequent.",
            0L,
            INSTRUCTOR,
            at(90),
            null),
        new GradeSubmission("s-lab1-bob-1", 72.25, null, 0L, SECOND_INSTRUCTOR, at(91), null),
        new GradeSubmission(
            SUBMISSION, 91.0, "Regraded after the heartbeat fix.", 1L, INSTRUCTOR, at(92), null),
        new ReleaseGrade(SUBMISSION, INSTRUCTOR, at(93)),
        new ReleaseAssignmentGrades(ASSIGNMENT, INSTRUCTOR, at(94)),
        new RecordFeedbackDraft(
            "d-lab1",
            SUBMISSION,
            "gemma2:2b",
            sha256("prompt for d-lab1"),
            "Clear report; explain why the election timeout is randomised.",
            INSTRUCTOR,
            at(95)),
        new GradeSubmission(
            SUBMISSION,
            93.0,
            "Clear report; explain why the timeout is randomised (see section 5.2).",
            3L,
            INSTRUCTOR,
            at(96),
            "d-lab1"),
        new AskQuestion(
            "q-cutoff", COURSE, Addressee.INSTRUCTOR, "Is the cut-off strict?", STUDENT, at(100)),
        new AnswerQuestion(
            "ans-cutoff",
            "q-cutoff",
            AuthorKind.INSTRUCTOR,
            null,
            null,
            "Yes: after the cut-off the upload is refused.",
            INSTRUCTOR,
            at(101),
            List.of()),
        new AskQuestion(
            "q-term", COURSE, Addressee.AI, "What is a term in Raft?", STUDENT, at(102)),
        new AnswerQuestion(
            "ans-term",
            "q-term",
            AuthorKind.MODEL,
            "gemma2:2b",
            sha256("prompt for q-term"),
            "A term is a period of time with at most one leader; terms number elections.",
            STUDENT,
            at(103),
            List.of(
                new AnswerQuestion.Source(1, "m-raft-paper", "The Raft paper", 5, null),
                new AnswerQuestion.Source(
                    2, "m-raft-paper", "The Raft paper", 0, "Leader election"))),
        new EndorseAnswer("ans-term", true, INSTRUCTOR, at(104)),
        new EndorseAnswer("ans-term", false, INSTRUCTOR, at(105)),
        new AskQuestion(
            "q-quorum", COURSE, Addressee.AI, "Why a majority and not all?", STUDENT, at(106)),
        new ReferQuestion("q-quorum", STUDENT, at(107)),
        new SetCourseAi(COURSE, false, INSTRUCTOR, at(108)),
        new SetCourseAi(COURSE, true, ADMIN, at(109)),
        new RemoveMaterial("m-raft-paper", INSTRUCTOR, at(110)),
        new UnenrolStudent(COURSE, OTHER_STUDENT, INSTRUCTOR, at(111)),
        new AssignInstructor(COURSE, SECOND_INSTRUCTOR, false, ADMIN, at(112)),
        new SetPassword(STUDENT, hash("alice-new"), STUDENT_SESSION, STUDENT, at(120)),
        new SetPassword(OTHER_STUDENT, hash("bob-reset"), null, ADMIN, at(121)),
        new SetUserDisabled(OTHER_STUDENT, true, ADMIN, at(122)),
        new SetUserDisabled(OTHER_STUDENT, false, ADMIN, at(123)),
        new CloseSession(STUDENT_SESSION, STUDENT, at(130)),
        new ExpireSessions(at(24 * 60)));
  }

  /** {@link #START} plus some minutes and a few milliseconds, so no instant is a round second. */
  public static Instant at(int minutes) {
    return START.plus(Duration.ofMinutes(minutes)).plusMillis(minutes % 997);
  }

  /** The lowercase hex SHA-256 of a text, as ids of sessions and blobs are. */
  public static String sha256(String text) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** A stored password hash in the shape Jakarta Security's PBKDF2 produces (not a real one). */
  private static String hash(String seed) {
    var hex = sha256(seed);
    return "PBKDF2WithHmacSHA256:210000:" + hex.substring(0, 24) + ":" + hex.substring(24);
  }
}
