package org.lms.domain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.SampleCommands.sha256;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.domain.command.CreateAssignment;
import org.lms.domain.command.GradeSubmission;
import org.lms.domain.command.SubmitAssignment;
import org.lms.domain.command.UpdateAssignment;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Submission;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

class AssignmentHandlersTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private Scenario s;
  private Instant opens;

  @BeforeEach
  void setUp() {
    s = new Scenario(mongo.newStore()).classroom();
    opens = s.now();
  }

  private CreateAssignment create(String id, Instant o, Instant due, Instant cut, int max) {
    return new CreateAssignment(id, "c1", "Essay", "Write.", o, due, cut, max, "carol", s.now());
  }

  private SubmitAssignment submit(String id, String student) {
    return new SubmitAssignment(
        id, "a1", "essay.pdf", 10, "application/pdf", sha256(id), student, s.now());
  }

  @Test
  void createsAndUpdatesAssignments() {
    Instant due = opens.plus(Duration.ofDays(1));
    s.accept(create("a2", opens, due, due, 20));
    s.later(Duration.ofMinutes(5));
    s.accept(
        new UpdateAssignment(
            "a2", "Essay 2", "", opens, due, due.plusSeconds(60), 25, "carol", s.now()));
    Assignment a = s.store().get(Assignment.class, "a2").orElseThrow();
    assertThat(a.title()).isEqualTo("Essay 2");
    assertThat(a.maxPoints()).isEqualTo(25);
    assertThat(a.createdAt()).isEqualTo(opens);
    assertThat(a.updatedAt()).isEqualTo(s.now());
  }

  @Test
  void refusesInconsistentAssignments() {
    Instant due = opens.plus(Duration.ofDays(1));
    assertThat(s.reject(create("a2", due, opens, due, 10)).field()).isEqualTo("dueAt");
    assertThat(s.reject(create("a2", opens, due, opens, 10)).field()).isEqualTo("cutoffAt");
    assertThat(s.reject(create("a2", opens, due, due, 0)).field()).isEqualTo("maxPoints");
    assertThat(s.reject(create("a2", opens, due, due, 10_001)).field()).isEqualTo("maxPoints");
    assertThat(s.reject(create("a2", null, due, due, 10)).field()).isEqualTo("opensAt");
    assertThat(
            s.reject(new CreateAssignment("a2", "c1", "", "", opens, due, due, 5, "carol", s.now()))
                .field())
        .isEqualTo("title");
    assertThat(
            s.reject(new CreateAssignment("a2", "c1", "T", "", opens, due, due, 5, "dave", s.now()))
                .reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(create("a1", opens, due, due, 10)).reason())
        .isEqualTo(RejectionReason.DUPLICATE_ID);
    assertThat(
            s.reject(new UpdateAssignment("nope", "T", "", opens, due, due, 5, "carol", s.now()))
                .reason())
        .isEqualTo(RejectionReason.UNKNOWN_ASSIGNMENT);
  }

  @Test
  void maxPointsCannotDropBelowAGivenGrade() {
    s.submission("s1", "a1", "alice");
    s.accept(new GradeSubmission("s1", 8, "ok", 0, "carol", s.now(), null));
    Instant due = opens.plus(Duration.ofDays(7));
    var r = s.reject(new UpdateAssignment("a1", "T", "", opens, due, due, 7, "carol", s.now()));
    assertThat(r.reason()).isEqualTo(RejectionReason.POINTS_ABOVE_MAXIMUM);
  }

  @Test
  void everyResubmissionIsANewVersion() {
    s.accept(submit("s1", "alice"));
    s.later(Duration.ofDays(8)); // after due, before cut-off
    s.accept(submit("s2", "alice"));
    Submission first = s.store().get(Submission.class, "s1").orElseThrow();
    Submission second = s.store().get(Submission.class, "s2").orElseThrow();
    assertThat(first.version()).isEqualTo(1);
    assertThat(first.late()).isFalse();
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.late()).isTrue();
    assertThat(second.submittedAt()).isEqualTo(s.now());
  }

  @Test
  void refusesSubmissionsOutsideTheWindow() {
    s.later(Duration.ofDays(9).plusMillis(1));
    assertThat(s.reject(submit("s1", "alice")).reason())
        .isEqualTo(RejectionReason.SUBMISSION_AFTER_CUTOFF);
    s.at(opens.minusMillis(1));
    assertThat(s.reject(submit("s1", "alice")).reason())
        .isEqualTo(RejectionReason.ASSIGNMENT_NOT_OPEN);
    s.at(opens.plus(Duration.ofDays(9))); // exactly at the cut-off: still accepted
    s.accept(submit("s1", "alice"));
  }

  @Test
  void onlyEnrolledStudentsSubmit() {
    assertThat(s.reject(submit("s1", "bob")).reason()).isEqualTo(RejectionReason.NOT_ENROLLED);
    assertThat(s.reject(submit("s1", "carol")).reason()).isEqualTo(RejectionReason.NOT_ENROLLED);
    assertThat(
            s.reject(
                    new SubmitAssignment(
                        "s1", "zz", "f", 1, "text/plain", sha256("z"), "alice", s.now()))
                .reason())
        .isEqualTo(RejectionReason.UNKNOWN_ASSIGNMENT);
    assertThat(
            s.reject(
                    new SubmitAssignment(
                        "s1", "a1", "f", -5, "text/plain", sha256("z"), "alice", s.now()))
                .field())
        .isEqualTo("size");
  }
}
