package org.lms.interfaces.web.portal;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Role;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;
import org.lms.domain.state.RejectedException;
import org.primefaces.event.FileUploadEvent;
import org.primefaces.model.file.UploadedFile;

/**
 * Backs {@code assignment.xhtml?id=}: the assignment; for a student the hand-in (a PrimeFaces
 * upload with a progress bar), the receipt of every version and the released grade; for its
 * instructors every student's latest version with a link to grade it (or to draft its feedback with
 * the AI assistant first), and releasing all grades. View-scoped because the upload arrives in its
 * own request; it keeps only the id, everything else is read afresh from the replicated state.
 */
@Named
@ViewScoped
public class AssignmentBacking implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject PortalServices services;
  @Inject CurrentUser me;

  private String id;
  private String show;
  private final PerRequest read = new PerRequest();

  /** One student's newest version, with the grade if any, for the instructor's list. */
  public record Latest(Submission submission, String student, Grade grade) {}

  public void load() {
    try {
      getAssignment();
    } catch (RejectedException e) {
      PortalPages.refuse(e);
    }
  }

  public Assignment getAssignment() {
    return read.get("assignment", () -> app().assignments().get(me.require(), id));
  }

  public Course getCourse() {
    return read.get("course", () -> app().courses().get(me.require(), getAssignment().courseId()));
  }

  /** Whether the course's AI assistant is on (it drafts feedback only then). */
  public boolean isAiEnabled() {
    return getCourse().aiEnabled();
  }

  /** Does the signed-in user teach this course? (An admin does not, as for the use cases.) */
  public boolean isTeaching() {
    return getCourse().isTaughtBy(me.require().userId());
  }

  /** The signed-in student's versions, newest first. */
  public List<Submission> getVersions() {
    if (!me.require().is(Role.STUDENT)) {
      return List.of();
    }
    return read.get(
        "versions",
        () ->
            app().assignments().versions(me.require(), id, null).stream()
                .sorted(Comparator.comparingInt(Submission::version).reversed())
                .toList());
  }

  /** The signed-in student's released grade on their newest graded version, if any. */
  public Grade getMyGrade() {
    return read.get("myGrade", this::readMyGrade);
  }

  private Grade readMyGrade() {
    for (Submission s : getVersions()) {
      Optional<Grade> g = app().grading().gradeOf(me.require(), s.id());
      if (g.isPresent()) {
        return g.get();
      }
    }
    return null;
  }

  /** The filters of the instructor's list: {@code all}, {@code late} or {@code ungraded}. */
  static final List<String> SHOWS = List.of("all", "late", "ungraded");

  /**
   * Every student's newest version, by username, narrowed by {@link #getShow()}: {@code late} keeps
   * versions handed in after the due date, {@code ungraded} those without a grade. Read once per
   * request: the page asks for it several times.
   */
  public List<Latest> getLatest() {
    // a mutable list: p:dataTable sorts the value it is given in place
    return read.get("latest", () -> new ArrayList<>(filter(allLatest(), getShow())));
  }

  private List<Latest> allLatest() {
    if (!isTeaching()) {
      return List.of();
    }
    Map<String, Submission> newest = PortalPages.newestPerStudent(submissions());
    // the course's grades in one query, instead of a grade lookup (with its access checks) each
    Map<String, Grade> grades = new HashMap<>();
    for (Grade g : app().grading().gradebook(me.require(), getAssignment().courseId())) {
      grades.put(g.submissionId(), g);
    }
    return newest.values().stream()
        .map(
            s ->
                new Latest(
                    s,
                    services.store().get(User.class, s.studentId()).map(User::username).orElse("?"),
                    grades.get(s.id())))
        .sorted(Comparator.comparing(Latest::student))
        .toList();
  }

  static List<Latest> filter(List<Latest> all, String show) {
    return switch (show) {
      case "late" -> all.stream().filter(l -> l.submission().late()).toList();
      case "ungraded" -> all.stream().filter(l -> l.grade() == null).toList();
      default -> all;
    };
  }

  /** The enrolled students who have handed nothing in, by username. */
  public List<User> getMissing() {
    if (!isTeaching()) {
      return List.of();
    }
    return read.get(
        "missing",
        () -> {
          var handedIn =
              submissions().stream()
                  .map(Submission::studentId)
                  .collect(java.util.stream.Collectors.toSet());
          return app().courses().roster(me.require(), getAssignment().courseId()).stream()
              .filter(u -> !handedIn.contains(u.id()))
              .sorted(Comparator.comparing(User::username))
              .toList();
        });
  }

  /** Every version every student handed in (the instructor's view). */
  private List<Submission> submissions() {
    return read.get("submissions", () -> app().assignments().submissions(me.require(), id));
  }

  public String getShow() {
    return show == null || !SHOWS.contains(show) ? "all" : show;
  }

  public void setShow(String show) {
    this.show = show;
    read.clear();
  }

  public List<String> getShows() {
    return SHOWS;
  }

  /** The upload's listener: hands the file in as the student's next version. */
  public void handIn(FileUploadEvent event) {
    UploadedFile file = event.getFile();
    try (InputStream in = file.getInputStream()) {
      Submission s =
          app()
              .assignments()
              .submit(me.require(), id, file.getFileName(), file.getContentType(), in);
      read.clear();
      FacesErrors.info(
          FacesErrors.text(
              s.late() ? "assignment.handedIn.late" : "assignment.handedIn",
              s.version(),
              s.fileName()));
    } catch (IOException e) {
      FacesErrors.show(null, new IllegalStateException("reading the upload failed", e));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
  }

  /**
   * "Draft feedback with AI" on one submission: the grade page opens with the draft in the feedback
   * field (see {@link GradeBacking}).
   */
  public String draftWithAi(String submissionId) {
    return GradeBacking.draftWithAi(app(), me.require(), submissionId);
  }

  public String releaseAll() {
    try {
      app().grading().releaseAll(me.require(), id);
      read.clear();
      FacesErrors.info(FacesErrors.text("assignment.released"));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  private LmsApplication app() {
    return services.application();
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }
}
