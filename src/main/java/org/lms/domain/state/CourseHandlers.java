package org.lms.domain.state;

import static org.lms.domain.state.Checks.MAX_FILE_NAME;
import static org.lms.domain.state.Checks.MAX_TITLE;

import java.util.List;
import java.util.TreeSet;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.AssignInstructor;
import org.lms.domain.command.CreateCourse;
import org.lms.domain.command.EnrolStudent;
import org.lms.domain.command.RemoveMaterial;
import org.lms.domain.command.SetCourseAi;
import org.lms.domain.command.UnenrolStudent;
import org.lms.domain.model.Course;
import org.lms.domain.model.Material;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;

/** Courses, who teaches and attends them, and their material. */
final class CourseHandlers {
  private CourseHandlers() {}

  static List<Change> createCourse(CreateCourse c, State state) {
    Checks.id("courseId", c.courseId());
    Checks.courseCode("code", c.code());
    Checks.line("title", c.title(), MAX_TITLE);
    Checks.instant("issuedAt", c.issuedAt());
    state.admin(c.actorId());
    state.requireNew(Course.class, "courseId", c.courseId());
    if (state.courseByCode(c.code()).isPresent()) {
      throw new RejectedException(
          RejectionReason.DUPLICATE_COURSE_CODE,
          "code",
          "a course with code " + c.code() + " exists");
    }
    var instructors = new TreeSet<String>();
    for (String id : c.instructorIds()) {
      instructors.add(requireRole(state, "instructorIds", id, Role.INSTRUCTOR).id());
    }
    return List.of(
        new Change.Put(
            new Course(
                c.courseId(),
                c.code(),
                c.title().strip(),
                List.copyOf(instructors),
                List.of(),
                c.issuedAt(),
                false)));
  }

  static List<Change> setCourseAi(SetCourseAi c, State state) {
    Checks.instant("issuedAt", c.issuedAt());
    Course course = state.course("courseId", c.courseId());
    state.instructorOrAdmin(c.actorId(), course);
    Course changed = course.withAi(c.enabled());
    return changed.equals(course) ? List.of() : List.of(new Change.Put(changed));
  }

  static List<Change> assignInstructor(AssignInstructor c, State state) {
    state.admin(c.actorId());
    Course course = state.course("courseId", c.courseId());
    User instructor = requireRole(state, "instructorId", c.instructorId(), Role.INSTRUCTOR);
    Course changed =
        c.assigned()
            ? course.withInstructor(instructor.id())
            : course.withoutInstructor(instructor.id());
    return changed.equals(course) ? List.of() : List.of(new Change.Put(changed));
  }

  static List<Change> enrolStudent(EnrolStudent c, State state) {
    Course course = state.course("courseId", c.courseId());
    state.instructorOrAdmin(c.actorId(), course);
    User student = requireRole(state, "studentId", c.studentId(), Role.STUDENT);
    if (student.disabled()) {
      throw new RejectedException(
          RejectionReason.USER_DISABLED, "studentId", "the student's account is disabled");
    }
    Course changed = course.withStudent(student.id());
    return changed.equals(course) ? List.of() : List.of(new Change.Put(changed));
  }

  static List<Change> unenrolStudent(UnenrolStudent c, State state) {
    Course course = state.course("courseId", c.courseId());
    state.instructorOrAdmin(c.actorId(), course);
    state.user("studentId", c.studentId());
    Course changed = course.withoutStudent(c.studentId());
    return changed.equals(course) ? List.of() : List.of(new Change.Put(changed));
  }

  static List<Change> addMaterial(AddMaterial c, State state) {
    Checks.id("materialId", c.materialId());
    Checks.line("title", c.title(), MAX_TITLE);
    Checks.line("fileName", c.fileName(), MAX_FILE_NAME);
    Checks.positiveSize("size", c.size());
    Checks.mediaType("mediaType", c.mediaType());
    Checks.sha256("sha256", c.sha256());
    Checks.instant("issuedAt", c.issuedAt());
    Course course = state.course("courseId", c.courseId());
    User actor = state.instructorOf(c.actorId(), course);
    state.requireNew(Material.class, "materialId", c.materialId());
    return List.of(
        new Change.Put(
            new Material(
                c.materialId(),
                course.id(),
                c.title().strip(),
                c.fileName(),
                c.size(),
                c.mediaType(),
                c.sha256(),
                actor.id(),
                c.issuedAt())));
  }

  static List<Change> removeMaterial(RemoveMaterial c, State state) {
    Material material = state.material("materialId", c.materialId());
    state.instructorOf(c.actorId(), state.course("courseId", material.courseId()));
    return List.of(new Change.Delete(Material.class, material.id()));
  }

  private static User requireRole(State state, String field, String userId, Role role) {
    User user = state.user(field, userId);
    if (user.role() != role) {
      throw new RejectedException(
          RejectionReason.WRONG_ROLE,
          field,
          "user " + user.username() + " is not a " + role.name().toLowerCase());
    }
    return user;
  }
}
