package org.lms.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.application.assignment.AssignmentService.Draft;
import org.lms.application.port.BlobStore.BlobTooLargeException;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Material;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Role;
import org.lms.domain.model.Submission;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;
import org.lms.testing.LmsCluster;

/**
 * The use cases on a real three-node cluster (in one JVM): authorization rules, sessions across
 * nodes, files across nodes, and that refused requests change nothing.
 */
@Timeout(180)
class LmsApplicationIT {
  private static LmsCluster cluster;
  private static Actor admin;
  private static Actor carol;
  private static Actor dave;
  private static Actor alice;
  private static Actor bob;
  private static Course course;
  private static Course otherCourse;
  private static Assignment assignment;

  @BeforeAll
  static void start() {
    cluster = LmsCluster.start();
    admin = cluster.admin();
    carol = cluster.newUser("carol", Role.INSTRUCTOR);
    dave = cluster.newUser("dave", Role.INSTRUCTOR);
    alice = cluster.newUser("alice", Role.STUDENT);
    bob = cluster.newUser("bob", Role.STUDENT);
    var courses = cluster.app(0).courses();
    course = courses.createCourse(admin, "CS101", "Distributed Systems", List.of(carol.userId()));
    otherCourse = courses.createCourse(admin, "MA201", "Algebra", List.of(dave.userId()));
    courses.enrol(carol, course.id(), alice.userId());
    courses.enrol(dave, otherCourse.id(), bob.userId());
    Instant now = Instant.now();
    assignment =
        cluster
            .app(0)
            .assignments()
            .create(
                carol,
                course.id(),
                new Draft(
                    "Lab 1",
                    "Build a log.",
                    now.minusSeconds(60),
                    now.plus(Duration.ofDays(7)),
                    now.plus(Duration.ofDays(8)),
                    10));
    cluster.sync();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Runs {@code call}, which must be refused; returns why. */
  private static RejectionReason reasonOf(ThrowingCallable call) {
    RejectedException e = catchThrowableOfType(RejectedException.class, call);
    assertThat(e).as("expected a rejection").isNotNull();
    return e.rejection().reason();
  }

  private static Submission submit(int node, Actor student, byte[] bytes) throws Exception {
    return cluster
        .app(node)
        .assignments()
        .submit(
            student, assignment.id(), "lab1.txt", "text/plain", new ByteArrayInputStream(bytes));
  }

  @Test
  void aSessionOpenedOnOneNodeIsValidAtOnceOnAnother() {
    var signedIn = cluster.app(0).accounts().signIn("alice", LmsCluster.PASSWORD.toCharArray());
    Actor there = cluster.app(2).accounts().authenticate(signedIn.token());
    assertThat(there.userId()).isEqualTo(alice.userId());

    cluster.app(1).accounts().signOut(there);
    cluster.sync();
    for (int node = 0; node < 3; node++) {
      int n = node;
      assertThatThrownBy(() -> cluster.app(n).accounts().authenticate(signedIn.token()))
          .isInstanceOf(UnauthenticatedException.class);
    }
  }

  @Test
  void wrongPasswordsAreThrottled() {
    var accounts = cluster.app(1).accounts();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> accounts.signIn("bob", "wrong-password".toCharArray()))
          .isInstanceOf(UnauthenticatedException.class);
    }
    assertThatThrownBy(() -> accounts.signIn("bob", LmsCluster.PASSWORD.toCharArray()))
        .isInstanceOf(TooManyAttemptsException.class);
    assertThatThrownBy(() -> cluster.app(1).accounts().authenticate("made-up-token"))
        .isInstanceOf(UnauthenticatedException.class);
  }

  @Test
  void onlyAdministratorsManageUsersAndCourses() {
    assertThat(
            reasonOf(
                () ->
                    cluster
                        .app(0)
                        .accounts()
                        .createUser(
                            carol, "eve", "Eve", Role.ADMIN, "long-password".toCharArray())))
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
    assertThat(reasonOf(() -> cluster.app(0).courses().createCourse(alice, "X1", "X", List.of())))
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
    assertThat(reasonOf(() -> cluster.app(0).accounts().listUsers(carol)))
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
    assertThat(
            reasonOf(
                () ->
                    cluster.app(0).courses().createCourse(admin, "CS101", "Duplicate", List.of())))
        .isEqualTo(RejectionReason.DUPLICATE_COURSE_CODE);
    assertThat(cluster.app(0).accounts().listUsers(admin)).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void studentsSeeOnlyTheirCoursesAndTheirOwnWork() throws Exception {
    assertThat(cluster.app(1).courses().myCourses(alice))
        .extracting(Course::code)
        .containsExactly("CS101");
    assertThat(reasonOf(() -> cluster.app(1).courses().get(alice, otherCourse.id())))
        .isEqualTo(RejectionReason.NOT_ENROLLED);
    assertThat(reasonOf(() -> cluster.app(1).assignments().list(bob, course.id())))
        .isEqualTo(RejectionReason.NOT_ENROLLED);
    assertThat(reasonOf(() -> cluster.app(1).courses().roster(alice, course.id())))
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);

    Submission mine = submit(0, alice, "alice's work".getBytes());
    cluster.sync();
    // bob is not enrolled: he can neither submit nor see alice's submission by its id
    assertThat(reasonOf(() -> submit(0, bob, "bob".getBytes())))
        .isEqualTo(RejectionReason.NOT_ENROLLED);
    assertThat(reasonOf(() -> cluster.app(2).assignments().submission(bob, mine.id())))
        .isEqualTo(RejectionReason.UNKNOWN_SUBMISSION);
    assertThat(reasonOf(() -> cluster.app(2).grading().gradeOf(bob, mine.id())))
        .isEqualTo(RejectionReason.UNKNOWN_SUBMISSION);
    assertThat(reasonOf(() -> cluster.app(2).assignments().submissions(dave, assignment.id())))
        .isEqualTo(RejectionReason.NOT_ENROLLED);
  }

  @Test
  void gradesAreComparedAndSetAndHiddenUntilReleased() throws Exception {
    Submission s = submit(1, alice, "version one".getBytes());
    var grading = cluster.app(2).grading();
    Grade g = grading.grade(carol, s.id(), 7.5, "Good start", 0);
    cluster.sync();
    assertThat(g.version()).isEqualTo(1);
    assertThat(reasonOf(() -> grading.grade(carol, s.id(), 3, "stale edit", 0)))
        .isEqualTo(RejectionReason.STALE_GRADE_VERSION);
    assertThat(reasonOf(() -> grading.grade(admin, s.id(), 3, "admins do not grade", 1)))
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(reasonOf(() -> grading.grade(carol, s.id(), 11, "too many", 1)))
        .isEqualTo(RejectionReason.POINTS_ABOVE_MAXIMUM);
    assertThat(reasonOf(() -> grading.grade(carol, s.id(), -1, "negative", 1)))
        .isEqualTo(RejectionReason.INVALID_FIELD);

    assertThat(cluster.app(0).grading().gradeOf(alice, s.id())).isEmpty();
    assertThat(cluster.app(0).grading().myGrades(alice)).noneMatch(x -> x.id().equals(s.id()));
    grading.release(carol, s.id());
    cluster.sync();
    assertThat(cluster.app(2).grading().gradeOf(alice, s.id()))
        .get()
        .extracting(Grade::points)
        .isEqualTo(7.5);
    assertThat(grading.history(carol, s.id())).hasSize(2);
    assertThat(reasonOf(() -> grading.history(alice, s.id())))
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
  }

  @Test
  void materialUploadedOnOneNodeIsReadOnAnother() throws Exception {
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    Material m =
        cluster
            .app(0)
            .courses()
            .addMaterial(
                carol,
                course.id(),
                "Lecture 1",
                "../../etc/passwd",
                "application/octet-stream",
                new ByteArrayInputStream(bytes));
    assertThat(m.size()).isEqualTo(bytes.length);
    cluster.sync();
    try (InputStream in = cluster.app(2).courses().openMaterial(alice, m.id()).content()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThat(reasonOf(() -> cluster.app(1).courses().openMaterial(bob, m.id())))
        .isEqualTo(RejectionReason.NOT_ENROLLED);
    assertThat(
            reasonOf(
                () ->
                    cluster
                        .app(1)
                        .courses()
                        .addMaterial(
                            alice,
                            course.id(),
                            "Mine",
                            "x.txt",
                            "text/plain",
                            new ByteArrayInputStream(bytes))))
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
  }

  @Test
  void anOversizeFileIsRefusedAndChangesNothing() {
    cluster.sync();
    String digest = cluster.raft().store(0).digest();
    long tooBig = cluster.raft().config(0).maxUploadBytes() + 1;
    InputStream huge =
        new java.io.InputStream() {
          long left = tooBig;

          @Override
          public int read() {
            return left-- > 0 ? 'x' : -1;
          }
        };
    assertThatThrownBy(
            () ->
                cluster
                    .app(0)
                    .courses()
                    .addMaterial(
                        carol, course.id(), "Huge", "huge.bin", "application/octet-stream", huge))
        .isInstanceOf(BlobTooLargeException.class);
    assertThat(cluster.raft().store(0).digest()).isEqualTo(digest);
  }

  @Test
  void questionsGoFromStudentsToInstructors() {
    var q =
        cluster
            .app(0)
            .questions()
            .ask(alice, course.id(), Addressee.INSTRUCTOR, "When is the exam?");
    assertThat(reasonOf(() -> cluster.app(0).questions().ask(bob, course.id(), Addressee.AI, "hi")))
        .isEqualTo(RejectionReason.NOT_ENROLLED);
    cluster.app(1).questions().answer(carol, q.id(), "On Friday.");
    cluster.sync();
    assertThat(cluster.app(2).questions().answers(alice, q.id()))
        .extracting(a -> a.text())
        .containsExactly("On Friday.");
    assertThat(reasonOf(() -> cluster.app(2).questions().answers(bob, q.id())))
        .isEqualTo(RejectionReason.UNKNOWN_QUESTION);
  }

  @Test
  void aDisabledAccountCannotSignIn() {
    Actor erin = cluster.newUser("erin", Role.STUDENT);
    cluster.app(0).accounts().setDisabled(admin, erin.userId(), true);
    assertThatThrownBy(
            () -> cluster.app(1).accounts().signIn("erin", LmsCluster.PASSWORD.toCharArray()))
        .isInstanceOf(UnauthenticatedException.class);
  }
}
