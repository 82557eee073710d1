package org.lms.application.course;

import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import org.lms.application.Access;
import org.lms.application.Actor;
import org.lms.application.Download;
import org.lms.application.UseCases;
import org.lms.application.port.BlobStore;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.AssignInstructor;
import org.lms.domain.command.CreateCourse;
import org.lms.domain.command.EnrolStudent;
import org.lms.domain.command.RemoveMaterial;
import org.lms.domain.command.UnenrolStudent;
import org.lms.domain.model.Course;
import org.lms.domain.model.Material;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.RejectionReason;

/** Courses and what is published in them. */
public final class CourseService {
  private final UseCases useCases;
  private final BlobStore blobs;
  private final long maxUploadBytes;

  public CourseService(UseCases useCases, BlobStore blobs, long maxUploadBytes) {
    this.useCases = useCases;
    this.blobs = blobs;
    this.maxUploadBytes = maxUploadBytes;
  }

  public Course createCourse(Actor admin, String code, String title, List<String> instructorIds) {
    Access.requireAdmin(admin);
    String id = useCases.newId();
    useCases.propose(
        new CreateCourse(
            id,
            code == null ? null : code.strip(),
            title,
            instructorIds == null ? List.of() : instructorIds,
            admin.userId(),
            useCases.now()));
    return course(id);
  }

  public void assignInstructor(
      Actor admin, String courseId, String instructorId, boolean assigned) {
    Access.requireAdmin(admin);
    useCases.propose(
        new AssignInstructor(courseId, instructorId, assigned, admin.userId(), useCases.now()));
  }

  public void enrol(Actor actor, String courseId, String studentId) {
    useCases.propose(new EnrolStudent(courseId, studentId, actor.userId(), useCases.now()));
  }

  public void unenrol(Actor actor, String courseId, String studentId) {
    useCases.propose(new UnenrolStudent(courseId, studentId, actor.userId(), useCases.now()));
  }

  /** The courses the actor teaches or attends; every course for an administrator. */
  public List<Course> myCourses(Actor actor) {
    List<Course> courses =
        switch (actor.role()) {
          case ADMIN -> useCases.store().find(Course.class);
          case INSTRUCTOR ->
              useCases.store().find(Course.class, Criterion.eq("instructorIds", actor.userId()));
          case STUDENT ->
              useCases.store().find(Course.class, Criterion.eq("studentIds", actor.userId()));
        };
    return courses.stream().sorted(Comparator.comparing(Course::code)).toList();
  }

  public Course get(Actor actor, String courseId) {
    Course course = course(courseId);
    Access.requireMember(actor, course);
    return course;
  }

  /** The enrolled students of a course, for its instructors and administrators. */
  public List<User> roster(Actor actor, String courseId) {
    Course course = course(courseId);
    if (!actor.is(Role.ADMIN)) {
      Access.requireInstructor(actor, course);
    }
    return course.studentIds().stream()
        .flatMap(id -> useCases.store().get(User.class, id).stream())
        .sorted(Comparator.comparing(User::username))
        .toList();
  }

  /**
   * Checks that {@code actor} may publish such a file in the course now, before any byte is sent;
   * {@link #addMaterial} checks again when the bytes have arrived.
   */
  public void checkMaterial(
      Actor actor, String courseId, String title, String fileName, String mediaType) {
    useCases.check(
        new AddMaterial(
            useCases.newId(),
            courseId,
            title,
            fileName,
            1,
            mediaType,
            UseCases.PENDING_SHA256,
            actor.userId(),
            useCases.now()));
  }

  /**
   * Publishes a file: the command is checked first (so nobody uploads 25 MB to be refused), the
   * bytes are stored on a majority of nodes, then the command that references them is proposed.
   */
  public Material addMaterial(
      Actor actor,
      String courseId,
      String title,
      String fileName,
      String mediaType,
      InputStream content)
      throws IOException {
    checkMaterial(actor, courseId, title, fileName, mediaType);
    String id = useCases.newId();
    BlobStore.StoredBlob blob = blobs.put(content, maxUploadBytes);
    useCases.propose(
        new AddMaterial(
            id,
            courseId,
            title,
            fileName,
            blob.size(),
            mediaType,
            blob.sha256(),
            actor.userId(),
            useCases.now()));
    return useCases.require(Material.class, id, RejectionReason.UNKNOWN_MATERIAL);
  }

  public void removeMaterial(Actor actor, String materialId) {
    useCases.propose(new RemoveMaterial(materialId, actor.userId(), useCases.now()));
  }

  public List<Material> materials(Actor actor, String courseId) {
    Access.requireMember(actor, course(courseId));
    return useCases.store().find(Material.class, Criterion.eq("courseId", courseId)).stream()
        .sorted(Comparator.comparing(Material::uploadedAt).thenComparing(Material::id))
        .toList();
  }

  public Material material(Actor actor, String materialId) {
    Material material =
        useCases.require(Material.class, materialId, RejectionReason.UNKNOWN_MATERIAL);
    Access.requireMember(actor, course(material.courseId()));
    return material;
  }

  /** A material and its bytes, for members of its course. */
  public Download<Material> openMaterial(Actor actor, String materialId) throws IOException {
    Material material = material(actor, materialId);
    return new Download<>(material, blobs.open(material.sha256()));
  }

  private Course course(String courseId) {
    return useCases.require(Course.class, courseId, RejectionReason.UNKNOWN_COURSE);
  }
}
