package org.lms.interfaces.web.portal;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lms.application.Actor;
import org.lms.application.assistant.AiAssistant;
import org.lms.domain.model.Course;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.QuestionStatus;
import org.lms.domain.model.User;

/**
 * Backs {@code instructor/questions.xhtml}: the instructor's inbox, every unanswered question of
 * every course they teach, oldest first (a queue: whoever has waited longest is answered first),
 * each with an answer form; below, the questions answered most recently. The use cases decide which
 * questions an instructor sees, as on the course page. Open means any question without an answer:
 * asked of the instructors, passed on by its student after asking the AI, and asked of the AI but
 * never answered (the model failed, or the node writing the answer stopped), each marked as such.
 */
@Named
@ViewScoped
public class QuestionsBacking implements Serializable {

  private static final long serialVersionUID = 1L;

  /** How many answered questions the page lists below the open ones. */
  static final int RECENTLY_ANSWERED = 10;

  @Inject PortalServices services;
  @Inject CurrentUser me;

  private final Map<String, String> answerDrafts = new HashMap<>();
  private final PerRequest read = new PerRequest();

  /** A question with its course and who asked it. */
  public record Row(Question question, Course course, String askedBy) {

    /**
     * Asked of the AI and still open: no answer was recorded (the model failed before the question
     * was passed on, or the node answering it stopped), so the instructor answers it.
     */
    public boolean unansweredByAi() {
      return AiAssistant.awaitsModel(question);
    }

    /** Its student passed it on after asking the AI. */
    public boolean referred() {
      return question.referredAt() != null;
    }
  }

  /** The questions still waiting for an answer, oldest first. */
  public List<Row> getOpen() {
    return rows().stream().filter(r -> r.question().status() == QuestionStatus.OPEN).toList();
  }

  /** The questions answered most recently, newest first. */
  public List<Row> getAnswered() {
    return rows().stream()
        .filter(r -> r.question().status() == QuestionStatus.ANSWERED)
        .sorted(
            Comparator.comparing(
                    (Row r) ->
                        r.question().answeredAt() == null
                            ? Instant.EPOCH
                            : r.question().answeredAt())
                .reversed())
        .limit(RECENTLY_ANSWERED)
        .toList();
  }

  private List<Row> rows() {
    return read.get("rows", this::readRows);
  }

  private List<Row> readRows() {
    Actor actor = me.require();
    var app = services.application();
    List<Row> found = new ArrayList<>();
    for (Course c : app.courses().myCourses(actor)) {
      if (!c.isTaughtBy(actor.userId())) {
        continue;
      }
      for (Question q : app.questions().list(actor, c.id())) {
        found.add(
            new Row(
                q,
                c,
                services.store().get(User.class, q.askedBy()).map(User::username).orElse("?")));
      }
    }
    found.sort(Comparator.comparing((Row r) -> r.question().askedAt()));
    return found;
  }

  public String answer(String questionId) {
    try {
      services
          .application()
          .questions()
          .answer(me.require(), questionId, answerDrafts.get(questionId));
      FacesErrors.info(FacesErrors.text("course.question.answered"));
      answerDrafts.remove(questionId);
      read.clear();
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public Map<String, String> getAnswerDrafts() {
    return answerDrafts;
  }
}
