package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Course;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.StateStore;

/** Backs {@code admin/courses.xhtml}: every course, and a form that creates one. */
@Named
@RequestScoped
public class CoursesBacking {

  @Inject LmsApplication application;
  @Inject CurrentUser me;
  @Inject StateStore store;

  private String code;
  private String title;
  private String instructorId;
  private List<Course> courses;

  public String create() {
    try {
      Course created =
          application
              .courses()
              .createCourse(
                  me.require(),
                  code,
                  title,
                  instructorId == null || instructorId.isBlank()
                      ? List.of()
                      : List.of(instructorId));
      FacesErrors.info(FacesErrors.text("courses.created", created.code(), created.title()));
      code = null;
      title = null;
      instructorId = null;
      courses = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public List<Course> getCourses() {
    if (courses == null) {
      courses = application.courses().myCourses(me.require());
    }
    return courses;
  }

  /** The instructors an admin may put in charge of a new course. */
  public List<User> getInstructors() {
    return store.find(User.class).stream()
        .filter(u -> u.role() == Role.INSTRUCTOR && !u.disabled())
        .sorted(java.util.Comparator.comparing(User::username))
        .toList();
  }

  /** The instructors' names of a course, for the list. */
  public String instructorsOf(Course course) {
    return String.join(
        ", ",
        course.instructorIds().stream()
            .map(id -> store.get(User.class, id).map(User::username).orElse(id))
            .toList());
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  public String getInstructorId() {
    return instructorId;
  }

  public void setInstructorId(String instructorId) {
    this.instructorId = instructorId;
  }
}
