package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.lms.application.Actor;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.FeedbackDraft;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;
import org.lms.domain.state.StateStore;

/**
 * Backs {@code grade.xhtml?submission=}: an instructor grades one submission and releases the
 * grade. The form carries the grade's version it was filled in against; if someone else saved in
 * between, nothing is overwritten: the page says so and shows the other version, with the
 * instructor's own input kept for another try.
 *
 * <p>Feedback can begin as a draft by the AI assistant ({@code ?draft=}, made here or from the
 * assignment page): its text fills the feedback field to be edited, and saving names the draft, so
 * the grade is marked AI-assisted for the student. Earlier drafts are listed to start from.
 *
 * <p>Below, the grade's {@link GradeHistory} from the replicated store: every version, who made it
 * and when. The grading use case shows it to the course's instructors (and administrators, who
 * reach it from their own page); anyone else opening this page is told so in a message.
 */
@Named
@RequestScoped
public class GradeBacking {

  @Inject LmsApplication application;
  @Inject CurrentUser me;
  @Inject StateStore store;

  private String submissionId;
  private Submission submission;
  private Assignment assignment;
  private Double points;
  private String feedback;
  private long version;
  private Grade conflicting;
  private String draftParam;
  private String draftId;
  private boolean aiAssisted;
  private List<FeedbackDraft> drafts;
  private List<GradeHistory.Row> history;
  private boolean historyRefused;

  /** The view action: the submission and its current grade, or 403/404. */
  public void load() {
    try {
      submission = application.assignments().submission(me.require(), submissionId);
      application
          .grading()
          .gradeOf(me.require(), submissionId)
          .ifPresent(
              g -> {
                points = g.points();
                feedback = g.feedback();
                version = g.version();
                aiAssisted = g.aiAssisted();
              });
      if (draftParam != null && !draftParam.isBlank()) {
        FeedbackDraft d =
            getDrafts().stream().filter(x -> x.id().equals(draftParam)).findFirst().orElse(null);
        if (d == null) {
          FacesErrors.error(null, FacesErrors.text("grade.draft.unknown"));
        } else {
          feedback = d.text();
          draftId = d.id();
        }
      }
    } catch (RejectedException e) {
      PortalPages.refuse(e);
      return;
    }
    // read here, before the page renders, so that a refusal can still become a message on it
    readHistory();
    if (historyRefused) {
      FacesErrors.error(null, FacesErrors.text("grade.history.refused"));
    }
  }

  /** Every version of this submission's grade, oldest first; empty for whoever may not see it. */
  public List<GradeHistory.Row> getHistory() {
    if (submissionId == null) {
      return List.of(); // a postback's early phases, before the form's fields are applied
    }
    if (history == null) {
      readHistory();
    }
    return history;
  }

  /** Whether the grading use case refused this user the history (a student, say). */
  public boolean isHistoryRefused() {
    return historyRefused;
  }

  private void readHistory() {
    try {
      history =
          GradeHistory.of(
              application.grading().history(me.require(), submissionId),
              id -> store.get(User.class, id));
      historyRefused = false;
    } catch (RejectedException e) {
      history = List.of();
      historyRefused = true;
    }
  }

  /**
   * Asks the AI assistant for a feedback draft on {@code submissionId} and opens the grade page
   * with it in the feedback field; on failure the current page shows why (nothing was drafted).
   */
  static String draftWithAi(LmsApplication application, Actor actor, String submissionId) {
    try {
      FeedbackDraft d = application.assistant().draftFeedback(actor, submissionId, piece -> {});
      FacesErrors.keepMessages();
      FacesErrors.info(FacesErrors.text("grade.draft.made", d.model()));
      return "/grade?faces-redirect=true&submission=" + submissionId + "&draft=" + d.id();
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
      return null;
    }
  }

  /** The grade page's own "Draft feedback with AI". */
  public String draft() {
    return draftWithAi(application, me.require(), submissionId);
  }

  /** Every AI draft of this submission, newest first (the course's instructors only). */
  public List<FeedbackDraft> getDrafts() {
    if (drafts == null) {
      try {
        drafts = application.assistant().drafts(me.require(), submissionId);
      } catch (RejectedException e) {
        drafts = List.of(); // not an instructor of the course (an admin): no drafts to show
      }
    }
    return drafts;
  }

  public String save() {
    try {
      Grade g =
          application
              .grading()
              .grade(
                  me.require(),
                  submissionId,
                  points == null ? 0 : points,
                  feedback == null ? "" : feedback,
                  version,
                  draftId == null || draftId.isBlank() ? null : draftId);
      version = g.version();
      aiAssisted = g.aiAssisted();
      conflicting = null;
      history = null; // read again with the new version
      FacesErrors.info(FacesErrors.text("grade.saved", PortalPages.points(g.points())));
    } catch (RejectedException e) {
      if (e.rejection().reason() == RejectionReason.STALE_GRADE_VERSION) {
        conflicting = application.grading().gradeOf(me.require(), submissionId).orElse(null);
        if (conflicting != null) {
          version = conflicting.version();
        }
        FacesErrors.error(null, FacesErrors.text("grade.conflict"));
      } else {
        FacesErrors.show(null, e);
      }
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public String release() {
    try {
      application.grading().release(me.require(), submissionId);
      history = null;
      FacesErrors.info(FacesErrors.text("grade.released"));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public Submission getSubmission() {
    if (submission == null && submissionId != null) {
      submission = application.assignments().submission(me.require(), submissionId);
    }
    return submission;
  }

  public Assignment getAssignment() {
    if (assignment == null) {
      assignment = application.assignments().get(me.require(), getSubmission().assignmentId());
    }
    return assignment;
  }

  public String getStudent() {
    return store.get(User.class, getSubmission().studentId()).map(User::username).orElse("?");
  }

  /** Whether the saved grade's feedback began as an approved AI draft. */
  public boolean isAiAssisted() {
    return aiAssisted;
  }

  /** The draft shown in the feedback field, if the feedback began as one. */
  public FeedbackDraft getDraft() {
    if (draftId == null || draftId.isBlank()) {
      return null;
    }
    return getDrafts().stream().filter(d -> d.id().equals(draftId)).findFirst().orElse(null);
  }

  public String getDraftParam() {
    return draftParam;
  }

  public void setDraftParam(String draftParam) {
    this.draftParam = draftParam;
  }

  public String getDraftId() {
    return draftId;
  }

  public void setDraftId(String draftId) {
    this.draftId = draftId;
  }

  public Grade getConflicting() {
    return conflicting;
  }

  public String getSubmissionId() {
    return submissionId;
  }

  public void setSubmissionId(String submissionId) {
    this.submissionId = submissionId;
  }

  public Double getPoints() {
    return points;
  }

  public void setPoints(Double points) {
    this.points = points;
  }

  public String getFeedback() {
    return feedback;
  }

  public void setFeedback(String feedback) {
    this.feedback = feedback;
  }

  public long getVersion() {
    return version;
  }

  public void setVersion(long version) {
    this.version = version;
  }
}
