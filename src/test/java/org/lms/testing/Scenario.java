package org.lms.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.SampleCommands.sha256;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.BootstrapAdmin;
import org.lms.domain.command.Command;
import org.lms.domain.command.CreateAssignment;
import org.lms.domain.command.CreateCourse;
import org.lms.domain.command.EnrolStudent;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.command.SubmitAssignment;
import org.lms.domain.model.Role;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.LmsStateMachine;
import org.lms.domain.state.Rejection;
import org.lms.infrastructure.mongo.MongoStateStore;

/**
 * A state machine on a fresh store with a log index of its own, and builders for the usual cast (an
 * admin, instructors, students, a course with an open assignment). Time is explicit: {@link #now}
 * moves only when a test moves it.
 */
public final class Scenario {
  public static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
  public static final String ADMIN = "admin-1";
  public static final String HASH = "PBKDF2WithHmacSHA256:1:c2FsdA==:aGFzaA==";

  private final MongoStateStore store;
  private final LmsStateMachine stateMachine;
  private long index;
  private Instant now = T0;

  public Scenario(MongoStateStore store) {
    this.store = store;
    this.stateMachine = new LmsStateMachine(store);
  }

  public MongoStateStore store() {
    return store;
  }

  public LmsStateMachine stateMachine() {
    return stateMachine;
  }

  public Instant now() {
    return now;
  }

  public Scenario at(Instant t) {
    now = t;
    return this;
  }

  public Scenario later(Duration d) {
    now = now.plus(d);
    return this;
  }

  public long index() {
    return index;
  }

  public CommandResult apply(Command command) {
    return stateMachine.apply(++index, command);
  }

  /** Applies a command that must be accepted. */
  public Scenario accept(Command command) {
    CommandResult result = apply(command);
    assertThat(result.rejection()).as("rejection of %s", command).isEmpty();
    return this;
  }

  /**
   * Applies a command that must be rejected, and checks that it changed nothing but the applied
   * index.
   */
  public Rejection reject(Command command) {
    String before = store.digest();
    CommandResult result = apply(command);
    assertThat(result.rejection()).as("rejection of %s", command).isPresent();
    assertThat(store.digest()).as("state after a rejected command").isEqualTo(before);
    assertThat(store.appliedIndex()).isEqualTo(index);
    return result.rejection().orElseThrow();
  }

  // ---- the usual cast

  public Scenario admin() {
    return accept(new BootstrapAdmin(ADMIN, "admin", HASH, now));
  }

  public Scenario user(String id, Role role) {
    return accept(new RegisterUser(id, id, "User " + id, role, HASH, ADMIN, now));
  }

  public Scenario course(String id, String code, String... instructorIds) {
    return accept(new CreateCourse(id, code, "Course " + code, List.of(instructorIds), ADMIN, now));
  }

  public Scenario enrol(String courseId, String studentId) {
    return accept(new EnrolStudent(courseId, studentId, ADMIN, now));
  }

  /** An assignment opening now, due in 7 days, cut off 2 days after, worth {@code maxPoints}. */
  public Scenario assignment(String id, String courseId, String instructorId, int maxPoints) {
    return accept(
        new CreateAssignment(
            id,
            courseId,
            "Assignment " + id,
            "Do the work.",
            now,
            now.plus(Duration.ofDays(7)),
            now.plus(Duration.ofDays(9)),
            maxPoints,
            instructorId,
            now));
  }

  public Scenario submission(String id, String assignmentId, String studentId) {
    return accept(
        new SubmitAssignment(
            id, assignmentId, "work.pdf", 1234, "application/pdf", sha256(id), studentId, now));
  }

  public Scenario material(String id, String courseId, String instructorId) {
    return accept(
        new AddMaterial(
            id,
            courseId,
            "Notes",
            "notes.pdf",
            99,
            "application/pdf",
            sha256(id),
            instructorId,
            now));
  }

  /**
   * The classroom most tests start from: admin, instructor {@code carol} teaching course {@code
   * c1}, students {@code alice} (enrolled) and {@code bob} (not enrolled), assignment {@code a1}
   * worth 10 points, opening now.
   */
  public Scenario classroom() {
    return admin()
        .user("carol", Role.INSTRUCTOR)
        .user("dave", Role.INSTRUCTOR)
        .user("alice", Role.STUDENT)
        .user("bob", Role.STUDENT)
        .course("c1", "CS101", "carol")
        .enrol("c1", "alice")
        .assignment("a1", "c1", "carol", 10);
  }
}
