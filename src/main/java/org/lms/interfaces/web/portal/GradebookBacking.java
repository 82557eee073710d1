package org.lms.interfaces.web.portal;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import org.lms.application.Actor;
import org.lms.domain.model.Course;
import org.lms.domain.state.RejectedException;

/**
 * Backs {@code gradebook.xhtml?course=}: a course's {@link Gradebook} for its instructors (the
 * grading use case refuses anyone else, which becomes 403): every student's points per assignment,
 * each assignment's statistics, and the distribution as a chart and as a table (the chart is a
 * picture; the table is what a screen reader reads). Keeps only the course id with the view; the
 * grades are read afresh on every request.
 */
@Named
@ViewScoped
public class GradebookBacking implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject PortalServices services;
  @Inject CurrentUser me;

  private String course;
  private transient Course loaded;
  private transient Gradebook book;

  /** The view action: the gradebook, or 403/404 for anyone who may not see it. */
  public void load() {
    try {
      Actor actor = me.require();
      var app = services.application();
      loaded = app.courses().get(actor, course);
      book =
          Gradebook.of(
              app.assignments().list(actor, course),
              app.courses().roster(actor, course),
              app.grading().gradebook(actor, course));
    } catch (RejectedException e) {
      PortalPages.refuse(e);
    }
  }

  private Gradebook book() {
    if (book == null && course != null) {
      load();
    }
    return book;
  }

  public Course getCourse() {
    if (loaded == null && course != null) {
      load();
    }
    return loaded;
  }

  public List<Gradebook.Column> getColumns() {
    return book() == null ? List.of() : book.columns();
  }

  public List<Gradebook.Row> getRows() {
    return book() == null ? List.of() : book.rows();
  }

  public List<Gradebook.Band> getDistribution() {
    return book() == null ? List.of() : book.distribution();
  }

  public int getGraded() {
    return book() == null ? 0 : book.graded();
  }

  /** The distribution chart's Chart.js configuration. */
  public String getChart() {
    return book() == null
        ? ""
        : book.chartJson(
            FacesErrors.text("gradebook.chart.series"),
            FacesErrors.text("gradebook.chart.x"),
            FacesErrors.text("gradebook.chart.y"));
  }

  public String getCourseId() {
    return course;
  }

  public void setCourseId(String course) {
    this.course = course;
  }
}
