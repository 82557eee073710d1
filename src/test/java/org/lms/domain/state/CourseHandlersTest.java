package org.lms.domain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.SampleCommands.sha256;
import static org.lms.testing.Scenario.ADMIN;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.AssignInstructor;
import org.lms.domain.command.CreateCourse;
import org.lms.domain.command.EnrolStudent;
import org.lms.domain.command.RemoveMaterial;
import org.lms.domain.command.UnenrolStudent;
import org.lms.domain.model.Course;
import org.lms.domain.model.Material;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

class CourseHandlersTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private Scenario s;

  @BeforeEach
  void setUp() {
    s = new Scenario(mongo.newStore()).classroom();
  }

  private Course course(String id) {
    return s.store().get(Course.class, id).orElseThrow();
  }

  @Test
  void createsCoursesWithUniqueCodes() {
    s.accept(new CreateCourse("c2", "MA-201", "Algebra", List.of("carol", "dave"), ADMIN, s.now()));
    assertThat(course("c2").instructorIds()).containsExactly("carol", "dave");
    var dup = s.reject(new CreateCourse("c3", "MA-201", "Other", List.of(), ADMIN, s.now()));
    assertThat(dup.reason()).isEqualTo(RejectionReason.DUPLICATE_COURSE_CODE);
    assertThat(s.reject(new CreateCourse("c3", "MA 201", "T", List.of(), ADMIN, s.now())).field())
        .isEqualTo("code");
    assertThat(s.reject(new CreateCourse("c3", "MA-202", "  ", List.of(), ADMIN, s.now())).field())
        .isEqualTo("title");
    assertThat(
            s.reject(new CreateCourse("c3", "MA-202", "T", List.of("alice"), ADMIN, s.now()))
                .reason())
        .isEqualTo(RejectionReason.WRONG_ROLE);
    assertThat(
            s.reject(new CreateCourse("c3", "MA-202", "T", List.of("ghost"), ADMIN, s.now()))
                .reason())
        .isEqualTo(RejectionReason.UNKNOWN_USER);
    assertThat(
            s.reject(new CreateCourse("c3", "MA-202", "T", List.of(), "carol", s.now())).reason())
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
  }

  @Test
  void enrolsAndUnenrolsIdempotently() {
    s.accept(new EnrolStudent("c1", "bob", "carol", s.now()));
    s.accept(new EnrolStudent("c1", "bob", "carol", s.now()));
    assertThat(course("c1").studentIds()).containsExactly("alice", "bob");
    s.accept(new UnenrolStudent("c1", "bob", ADMIN, s.now()));
    s.accept(new UnenrolStudent("c1", "bob", ADMIN, s.now()));
    assertThat(course("c1").studentIds()).containsExactly("alice");
  }

  @Test
  void refusesBadEnrolments() {
    assertThat(s.reject(new EnrolStudent("nope", "bob", ADMIN, s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_COURSE);
    assertThat(s.reject(new EnrolStudent("c1", "ghost", ADMIN, s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_USER);
    assertThat(s.reject(new EnrolStudent("c1", "dave", ADMIN, s.now())).reason())
        .isEqualTo(RejectionReason.WRONG_ROLE);
    assertThat(s.reject(new EnrolStudent("c1", "bob", "dave", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(new EnrolStudent("c1", "bob", "alice", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(new UnenrolStudent("c1", "alice", "dave", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(new UnenrolStudent("c1", "alice", "alice", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(new UnenrolStudent("nope", "alice", ADMIN, s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_COURSE);
    assertThat(s.reject(new UnenrolStudent("c1", "ghost", ADMIN, s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_USER);
  }

  @Test
  void assignsAndRemovesInstructors() {
    s.accept(new AssignInstructor("c1", "dave", true, ADMIN, s.now()));
    assertThat(course("c1").instructorIds()).containsExactly("carol", "dave");
    s.accept(new AssignInstructor("c1", "carol", false, ADMIN, s.now()));
    assertThat(course("c1").instructorIds()).containsExactly("dave");
    assertThat(s.reject(new AssignInstructor("c1", "bob", true, ADMIN, s.now())).reason())
        .isEqualTo(RejectionReason.WRONG_ROLE);
    assertThat(s.reject(new AssignInstructor("c1", "carol", true, "dave", s.now())).reason())
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
  }

  @Test
  void publishesAndWithdrawsMaterial() {
    s.material("m1", "c1", "carol");
    Material m = s.store().get(Material.class, "m1").orElseThrow();
    assertThat(m.sha256()).isEqualTo(sha256("m1"));
    assertThat(m.uploadedBy()).isEqualTo("carol");
    s.accept(new RemoveMaterial("m1", "carol", s.now()));
    assertThat(s.store().get(Material.class, "m1")).isEmpty();
    assertThat(s.reject(new RemoveMaterial("m1", "carol", s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_MATERIAL);
  }

  @Test
  void refusesBadMaterial() {
    String sha = sha256("x");
    assertThat(
            s.reject(
                    new AddMaterial(
                        "m", "c1", " ", "f.pdf", 1, "application/pdf", sha, "carol", s.now()))
                .field())
        .isEqualTo("title");
    assertThat(
            s.reject(
                    new AddMaterial(
                        "m", "c1", "T", "f.pdf", 0, "application/pdf", sha, "carol", s.now()))
                .field())
        .isEqualTo("size");
    assertThat(
            s.reject(new AddMaterial("m", "c1", "T", "f.pdf", 1, "pdf", sha, "carol", s.now()))
                .field())
        .isEqualTo("mediaType");
    assertThat(
            s.reject(
                    new AddMaterial(
                        "m", "c1", "T", "f.pdf", 1, "application/pdf", "abc", "carol", s.now()))
                .field())
        .isEqualTo("sha256");
    assertThat(
            s.reject(
                    new AddMaterial(
                        "m", "c1", "T", "a\u0000b", 1, "application/pdf", sha, "carol", s.now()))
                .field())
        .isEqualTo("fileName");
    assertThat(
            s.reject(
                    new AddMaterial(
                        "m", "c1", "T", "f.pdf", 1, "application/pdf", sha, "dave", s.now()))
                .reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(
            s.reject(
                    new AddMaterial(
                        "m", "c1", "T", "f.pdf", 1, "application/pdf", sha, "alice", s.now()))
                .reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(
            s.reject(
                    new AddMaterial(
                        "m", "zz", "T", "f.pdf", 1, "application/pdf", sha, "carol", s.now()))
                .reason())
        .isEqualTo(RejectionReason.UNKNOWN_COURSE);
  }

  @Test
  void aFileNameIsDisplayDataOnly() {
    s.accept(
        new AddMaterial(
            "m2", "c1", "T", "../../etc/passwd", 5, "text/plain", sha256("p"), "carol", s.now()));
    assertThat(s.store().get(Material.class, "m2").orElseThrow().fileName())
        .isEqualTo("../../etc/passwd");
  }
}
