package org.lms.interfaces.web.portal;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lms.application.Actor;
import org.lms.application.LmsApplication;
import org.lms.application.assignment.AssignmentService.Draft;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Material;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.RejectedException;

/**
 * Backs {@code course.xhtml?id=}: a course's material and assignments for its members; for its
 * instructors also the roster with an enrol form, material upload and a new-assignment form. Who
 * may see and do what is decided by the use cases, the same as for the gRPC API. View-scoped, so
 * that a form's post knows its course before Faces decides which forms the page shows; the course
 * itself is read afresh on every request.
 */
@Named
@ViewScoped
public class CourseBacking implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject PortalServices services;
  @Inject CurrentUser me;

  private String id;
  private final PerRequest read = new PerRequest();

  private String enrolUsername;
  private String materialTitle;
  private transient Part materialFile;
  private String assignmentTitle;
  private String assignmentDescription;
  private String dueAt;
  private String cutoffAt;
  private Integer maxPoints = 100;
  private String questionText;
  private final Map<String, String> answerDrafts = new HashMap<>();

  /** A question with who asked it and its answers so far. */
  public record QuestionRow(Question question, String askedBy, List<Answer> answers) {}

  /** The view action: the course, or 403/404 for anyone who may not see it. */
  public void load() {
    getCourse();
  }

  /** The course, read once per request; null (and 403/404) for anyone who may not see it. */
  public Course getCourse() {
    if (id == null) {
      return null;
    }
    try {
      return read.get("course", () -> application().courses().get(me.require(), id));
    } catch (RejectedException e) {
      PortalPages.refuse(e);
      return null;
    }
  }

  /** May the signed-in user run this course (its instructor, or an admin)? */
  public boolean isTeaching() {
    Actor actor = me.require();
    Course c = getCourse();
    return c != null && (actor.is(Role.ADMIN) || c.isTaughtBy(actor.userId()));
  }

  public List<Material> getMaterials() {
    return getCourse() == null
        ? List.of()
        : read.get("materials", () -> application().courses().materials(me.require(), id));
  }

  public List<Assignment> getAssignments() {
    return getCourse() == null
        ? List.of()
        : read.get("assignments", () -> application().assignments().list(me.require(), id));
  }

  public List<User> getRoster() {
    return isTeaching()
        ? read.get("roster", () -> application().courses().roster(me.require(), id))
        : List.of();
  }

  public String enrol() {
    try {
      String name = enrolUsername == null ? "" : enrolUsername.strip().toLowerCase();
      User student =
          services.store().find(User.class, Criterion.eq("username", name)).stream()
              .findFirst()
              .orElse(null);
      if (student == null) {
        FacesErrors.error("enrol:username", FacesErrors.text("course.enrol.unknown", name));
        return null;
      }
      application().courses().enrol(me.require(), id, student.id());
      read.clear();
      FacesErrors.info(FacesErrors.text("course.enrolled", student.username()));
      enrolUsername = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public String upload() {
    if (materialFile == null || materialFile.getSize() == 0) {
      FacesErrors.error("material:file", FacesErrors.text("course.material.noFile"));
      return null;
    }
    try (InputStream in = materialFile.getInputStream()) {
      Material m =
          application()
              .courses()
              .addMaterial(
                  me.require(),
                  id,
                  materialTitle,
                  materialFile.getSubmittedFileName(),
                  materialFile.getContentType(),
                  in);
      read.clear();
      FacesErrors.info(FacesErrors.text("course.material.added", m.title()));
      materialTitle = null;
    } catch (IOException e) {
      FacesErrors.show(null, new IllegalStateException("reading the upload failed", e));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public String createAssignment() {
    Instant due = PortalPages.parseLocal(dueAt, "assignment:due");
    Instant cutoff = PortalPages.parseLocal(cutoffAt, "assignment:cutoff");
    if (due == null || cutoff == null) {
      return null;
    }
    try {
      Assignment a =
          application()
              .assignments()
              .create(
                  me.require(),
                  id,
                  new Draft(
                      assignmentTitle,
                      assignmentDescription,
                      Instant.now(),
                      due,
                      cutoff,
                      maxPoints == null ? 0 : maxPoints));
      read.clear();
      FacesErrors.info(FacesErrors.text("course.assignment.created", a.title()));
      assignmentTitle = null;
      assignmentDescription = null;
      dueAt = null;
      cutoffAt = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  private LmsApplication application() {
    return services.application();
  }

  /** The course's questions: a student's own, or all of them for its instructors. */
  public List<QuestionRow> getQuestions() {
    if (getCourse() == null) {
      return List.of();
    }
    return read.get("questions", this::readQuestions);
  }

  private List<QuestionRow> readQuestions() {
    Actor actor = me.require();
    return application().questions().list(actor, id).stream()
        .map(
            q ->
                new QuestionRow(
                    q,
                    services.store().get(User.class, q.askedBy()).map(User::username).orElse("?"),
                    application().questions().answers(actor, q.id())))
        .toList();
  }

  public String ask() {
    try {
      application().questions().ask(me.require(), id, Addressee.INSTRUCTOR, questionText);
      read.clear();
      FacesErrors.info(FacesErrors.text("course.question.asked"));
      questionText = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public String answer(String questionId) {
    try {
      application().questions().answer(me.require(), questionId, answerDrafts.get(questionId));
      read.clear();
      FacesErrors.info(FacesErrors.text("course.question.answered"));
      answerDrafts.remove(questionId);
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public Map<String, String> getAnswerDrafts() {
    return answerDrafts;
  }

  public String getQuestionText() {
    return questionText;
  }

  public void setQuestionText(String questionText) {
    this.questionText = questionText;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getEnrolUsername() {
    return enrolUsername;
  }

  public void setEnrolUsername(String enrolUsername) {
    this.enrolUsername = enrolUsername;
  }

  public String getMaterialTitle() {
    return materialTitle;
  }

  public void setMaterialTitle(String materialTitle) {
    this.materialTitle = materialTitle;
  }

  public Part getMaterialFile() {
    return materialFile;
  }

  public void setMaterialFile(Part materialFile) {
    this.materialFile = materialFile;
  }

  public String getAssignmentTitle() {
    return assignmentTitle;
  }

  public void setAssignmentTitle(String assignmentTitle) {
    this.assignmentTitle = assignmentTitle;
  }

  public String getAssignmentDescription() {
    return assignmentDescription;
  }

  public void setAssignmentDescription(String assignmentDescription) {
    this.assignmentDescription = assignmentDescription;
  }

  public String getDueAt() {
    return dueAt;
  }

  public void setDueAt(String dueAt) {
    this.dueAt = dueAt;
  }

  public String getCutoffAt() {
    return cutoffAt;
  }

  public void setCutoffAt(String cutoffAt) {
    this.cutoffAt = cutoffAt;
  }

  public Integer getMaxPoints() {
    return maxPoints;
  }

  public void setMaxPoints(Integer maxPoints) {
    this.maxPoints = maxPoints;
  }
}
