package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Assignment;
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
              });
    } catch (RejectedException e) {
      PortalPages.refuse(e);
    }
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
                  version);
      version = g.version();
      conflicting = null;
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
