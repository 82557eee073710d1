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
 * grades are read afresh, once, in every request ({@link PerRequest}).
 */
@Named
@ViewScoped
public class GradebookBacking implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject PortalServices services;
  @Inject CurrentUser me;

  private String course;
  private final PerRequest read = new PerRequest();

  /** The course and its gradebook, as read in one request. */
  private record Page(Course course, Gradebook book) {}

  private static final Page NONE = new Page(null, null);

  /** The view action: the gradebook, or 403/404 for anyone who may not see it. */
  public void load() {
    page();
  }

  /** This request's page; {@link #NONE} (and 403/404) for anyone who may not see it. */
  private Page page() {
    if (course == null) {
      return NONE;
    }
    try {
      return read.get("page", this::readPage);
    } catch (RejectedException e) {
      PortalPages.refuse(e);
      return NONE;
    }
  }

  private Page readPage() {
    Actor actor = me.require();
    var app = services.application();
    Course c = app.courses().get(actor, course);
    return new Page(
        c,
        Gradebook.of(
            app.assignments().list(actor, course),
            app.courses().roster(actor, course),
            app.grading().gradebook(actor, course)));
  }

  public Course getCourse() {
    return page().course();
  }

  public List<Gradebook.Column> getColumns() {
    Gradebook book = page().book();
    return book == null ? List.of() : book.columns();
  }

  public List<Gradebook.Row> getRows() {
    Gradebook book = page().book();
    return book == null ? List.of() : book.rows();
  }

  public List<Gradebook.Band> getDistribution() {
    Gradebook book = page().book();
    return book == null ? List.of() : book.distribution();
  }

  public int getGraded() {
    Gradebook book = page().book();
    return book == null ? 0 : book.graded();
  }

  /** The distribution chart's Chart.js configuration. */
  public String getChart() {
    Gradebook book = page().book();
    return book == null
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
