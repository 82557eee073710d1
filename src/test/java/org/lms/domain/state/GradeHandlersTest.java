package org.lms.domain.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.domain.command.GradeSubmission;
import org.lms.domain.command.ReleaseAssignmentGrades;
import org.lms.domain.command.ReleaseGrade;
import org.lms.domain.model.Grade;
import org.lms.domain.model.GradeEvent;
import org.lms.domain.model.GradeEvent.GradeChange;
import org.lms.domain.model.Role;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

class GradeHandlersTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private Scenario s;

  @BeforeEach
  void setUp() {
    s =
        new Scenario(mongo.newStore())
            .classroom()
            .user("erin", Role.STUDENT)
            .enrol("c1", "erin")
            .submission("s1", "a1", "alice")
            .submission("s2", "a1", "erin");
  }

  private Grade grade(String id) {
    return s.store().get(Grade.class, id).orElseThrow();
  }

  @Test
  void gradesWithCompareAndSetAndKeepsHistory() {
    s.accept(new GradeSubmission("s1", 7.5, "Good", 0, "carol", s.now(), null));
    assertThat(grade("s1").version()).isEqualTo(1);
    assertThat(grade("s1").released()).isFalse();
    s.accept(new GradeSubmission("s1", 8, "Better", 1, "carol", s.now(), null));
    assertThat(grade("s1").points()).isEqualTo(8);

    var stale = s.reject(new GradeSubmission("s1", 2, "Overwrite", 1, "carol", s.now(), null));
    assertThat(stale.reason()).isEqualTo(RejectionReason.STALE_GRADE_VERSION);
    assertThat(stale.message()).contains("version 2");
    assertThat(grade("s1").feedback()).isEqualTo("Better");

    assertThat(s.store().find(GradeEvent.class, Criterion.eq("submissionId", "s1")))
        .extracting(GradeEvent::version, GradeEvent::points, GradeEvent::actorId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 7.5, "carol"),
            org.assertj.core.groups.Tuple.tuple(2L, 8.0, "carol"));
  }

  @Test
  void refusesBadPoints() {
    assertThat(s.reject(new GradeSubmission("s1", 10.5, "", 0, "carol", s.now(), null)).reason())
        .isEqualTo(RejectionReason.POINTS_ABOVE_MAXIMUM);
    assertThat(s.reject(new GradeSubmission("s1", -1, "", 0, "carol", s.now(), null)).field())
        .isEqualTo("points");
    assertThat(
            s.reject(new GradeSubmission("s1", Double.NaN, "", 0, "carol", s.now(), null)).field())
        .isEqualTo("points");
    assertThat(s.reject(new GradeSubmission("s1", 1.234, "", 0, "carol", s.now(), null)).field())
        .isEqualTo("points");
    s.accept(new GradeSubmission("s1", 7.1, "", 0, "carol", s.now(), null));
    s.accept(new GradeSubmission("s2", 10, null, 0, "carol", s.now(), null));
  }

  @Test
  void onlyTheCoursesInstructorsGrade() {
    assertThat(s.reject(new GradeSubmission("s1", 5, "", 0, "dave", s.now(), null)).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(new GradeSubmission("s1", 10, "", 0, "alice", s.now(), null)).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(new GradeSubmission("nope", 5, "", 0, "carol", s.now(), null)).reason())
        .isEqualTo(RejectionReason.UNKNOWN_SUBMISSION);
  }

  @Test
  void releasesOneOrAll() {
    assertThat(s.reject(new ReleaseGrade("s1", "carol", s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_GRADE);
    s.accept(new GradeSubmission("s1", 7, "", 0, "carol", s.now(), null));
    s.accept(new GradeSubmission("s2", 9, "", 0, "carol", s.now(), null));
    s.accept(new ReleaseGrade("s1", "carol", s.now()));
    assertThat(grade("s1").released()).isTrue();
    assertThat(grade("s1").version()).isEqualTo(2);
    s.accept(new ReleaseGrade("s1", "carol", s.now())); // already released: nothing changes
    assertThat(grade("s1").version()).isEqualTo(2);

    s.accept(new ReleaseAssignmentGrades("a1", "carol", s.now()));
    assertThat(grade("s2").released()).isTrue();
    assertThat(s.store().get(GradeEvent.class, GradeEvent.idOf("s2", 2)))
        .get()
        .extracting(GradeEvent::change)
        .isEqualTo(GradeChange.RELEASED);
    assertThat(s.reject(new ReleaseAssignmentGrades("a1", "dave", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);

    s.accept(new GradeSubmission("s1", 6, "regraded", 2, "carol", s.now(), null));
    assertThat(grade("s1").released()).as("a regrade stays released").isTrue();
  }
}
