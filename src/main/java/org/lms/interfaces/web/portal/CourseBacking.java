package org.lms.interfaces.web.portal;

import jakarta.faces.context.FacesContext;
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
import java.util.concurrent.RejectedExecutionException;
import org.lms.application.Actor;
import org.lms.application.LmsApplication;
import org.lms.application.assignment.AssignmentService.Draft;
import org.lms.application.assistant.AiAssistant;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Citation;
import org.lms.domain.model.Course;
import org.lms.domain.model.Material;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.RejectedException;
import org.primefaces.PrimeFaces;

/**
 * Backs {@code course.xhtml?id=}: a course's material and assignments for its members; for its
 * instructors also the roster with an enrol form, material upload and a new-assignment form; the
 * questions, with asking the AI assistant and watching its answer arrive. Who may see and do what
 * is decided by the use cases, the same as for the gRPC API. View-scoped, so that a form's post
 * knows its course before Faces decides which forms the page shows; the course itself is read
 * afresh on every request.
 *
 * <p>The AI's answer is written on a container-managed thread ({@link AiRun}, with the actor taken
 * in the request) while the page polls every half second and shows the reply so far; the run is
 * kept by this bean, transient, so it lives as long as the view on this node.
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
  private String aiQuestionText;
  private transient AiRun aiRun;
  private final Map<String, String> answerDrafts = new HashMap<>();

  /**
   * A question with who asked it and its answers so far; {@code mine}: the signed-in user asked it.
   */
  public record QuestionRow(
      Question question, String askedBy, List<AnswerRow> answers, boolean mine) {

    /** Its student may still pass it to the instructor: it was asked of the AI. */
    public boolean referable() {
      return mine && question.addressee() == Addressee.AI;
    }

    public boolean referred() {
      return question.referredAt() != null;
    }

    /** Open, for the instructor: asked of them, passed on, or for the AI and never answered. */
    public boolean open() {
      return question.status() == Question.QuestionStatus.OPEN;
    }

    public boolean forAi() {
      return question.addressee() == Addressee.AI;
    }
  }

  /** An answer with the sources it cites (a model's), in the order its text numbers them. */
  public record AnswerRow(Answer answer, List<Citation> citations) {
    public boolean byModel() {
      return answer.authorKind() == AuthorKind.MODEL;
    }
  }

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
    var questions = application().questions();
    return questions.list(actor, id).stream()
        .map(
            q ->
                new QuestionRow(
                    q,
                    services.store().get(User.class, q.askedBy()).map(User::username).orElse("?"),
                    questions.citedAnswers(actor, q.id()).stream()
                        .map(a -> new AnswerRow(a.answer(), a.citations()))
                        .toList(),
                    q.askedBy().equals(actor.userId())))
        .toList();
  }

  /** Whether the course's AI assistant is on (the use cases refuse questions for it when off). */
  public boolean isAiEnabled() {
    Course c = getCourse();
    return c != null && c.aiEnabled();
  }

  /**
   * A student asks the AI: the question is committed and answered on a managed thread (the actor
   * taken here, in the request), and the page polls the reply as it is written.
   */
  public String askAi() {
    if (isAiWriting()) {
      return null; // the button is not shown meanwhile; a replayed post asks nothing twice
    }
    Actor actor = me.require();
    AiAssistant assistant = application().assistant();
    String courseId = id;
    String text = aiQuestionText;
    try {
      aiRun =
          AiRun.start(
              services.executor(), text, pieces -> assistant.ask(actor, courseId, text, pieces));
      aiQuestionText = null;
      read.clear();
    } catch (RejectedExecutionException e) {
      FacesErrors.error(null, FacesErrors.text("course.ai.busy"));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  /**
   * What the page shows of the latest question to the AI asked in this view, the same in every part
   * of one request; null when none was asked.
   */
  public AiRun.Snapshot getAi() {
    AiRun run = aiRun;
    return run == null ? null : read.get("ai", run::snapshot);
  }

  /** The committed answer of the latest question to the AI, with its sources; null until then. */
  public AnswerRow getAiAnswer() {
    AiRun.Snapshot ai = getAi();
    return ai == null || ai.answer() == null
        ? null
        : new AnswerRow(ai.answer().answer(), ai.answer().citations());
  }

  /** Whether the student may still pass the latest question to the AI on to the instructors. */
  public boolean isAiReferable() {
    AnswerRow answer = getAiAnswer();
    return answer != null
        && getQuestions().stream()
            .anyMatch(r -> r.question().id().equals(answer.answer().questionId()) && r.referable());
  }

  /** Whether the AI is still writing the answer the page shows (the poll runs meanwhile). */
  public boolean isAiWriting() {
    AiRun.Snapshot ai = getAi();
    return ai != null && !ai.done();
  }

  /**
   * Before every render of the page (a full one, or the poll's): once the run is done, its failure
   * becomes the page's message, once, and the poll's response renders the messages and the question
   * list too (the poll stops itself on {@link #isAiWriting()} false). A run can end before the page
   * that started it is rendered: a model server that refuses connections fails at once.
   */
  public void prepareAi() {
    AiRun run = aiRun;
    AiRun.Snapshot ai = getAi();
    if (run == null || ai == null || !ai.done()) {
      return;
    }
    RuntimeException failure = run.takeFailure();
    if (failure != null) {
      FacesErrors.show(null, failure);
    }
    if (FacesContext.getCurrentInstance().getPartialViewContext().isAjaxRequest()) {
      PrimeFaces.current().ajax().update(":messages", ":questions");
    }
  }

  /** The student passes a question for the AI on to the course's instructors. */
  public String refer(String questionId) {
    try {
      application().questions().refer(me.require(), questionId);
      read.clear();
      FacesErrors.info(FacesErrors.text("course.ai.referred"));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  /** An instructor shares an answer with the whole course, or withdraws it. */
  public String endorse(String answerId, boolean endorsed) {
    try {
      application().questions().endorse(me.require(), answerId, endorsed);
      read.clear();
      FacesErrors.info(FacesErrors.text(endorsed ? "course.ai.endorsed" : "course.ai.withdrawn"));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  /** An instructor switches the course's AI assistant on or off. */
  public String switchAi(boolean enabled) {
    try {
      application().assistant().setEnabled(me.require(), id, enabled);
      read.clear();
      FacesErrors.info(
          FacesErrors.text(enabled ? "course.ai.switchedOn" : "course.ai.switchedOff"));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public String getAiQuestionText() {
    return aiQuestionText;
  }

  public void setAiQuestionText(String aiQuestionText) {
    this.aiQuestionText = aiQuestionText;
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
