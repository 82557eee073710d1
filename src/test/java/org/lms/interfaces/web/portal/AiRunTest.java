package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lms.application.assistant.AiAssistant.AiAnswer;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Question.QuestionStatus;

/** The holder of an AI answer being written on another thread while the page polls it. */
class AiRunTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aPollSeesTheReplyGrowThenTheCommittedAnswer() throws Exception {
    var executor = Executors.newSingleThreadExecutor();
    var firstPiece = new CountDownLatch(1);
    var goOn = new CountDownLatch(1);
    try {
      AiRun run =
          AiRun.start(
              executor,
              "Why a majority?",
              pieces -> {
                pieces.accept("Because ");
                firstPiece.countDown();
                await(goOn);
                pieces.accept("two majorities meet [1].");
                return answer("Because two majorities meet [1].");
              });

      assertThat(firstPiece.await(5, TimeUnit.SECONDS)).isTrue();
      AiRun.Snapshot partial = run.snapshot();
      assertThat(partial.done()).isFalse();
      assertThat(partial.question()).isEqualTo("Why a majority?");
      assertThat(partial.text()).isEqualTo("Because ");
      assertThat(run.takeFailure()).isNull();

      goOn.countDown();
      executor.shutdown();
      assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      AiRun.Snapshot done = run.snapshot();
      assertThat(done.state()).isEqualTo(AiRun.State.ANSWERED);
      assertThat(done.text()).isEqualTo("Because two majorities meet [1].");
      assertThat(done.answer().answer().text()).isEqualTo("Because two majorities meet [1].");
      assertThat(run.takeFailure()).isNull();
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aFailureIsKeptAndHandedOutOnce() {
    var run = new AiRun("Why?");
    var down = new IllegalStateException("the assistant is unavailable");
    run.task(
            pieces -> {
              pieces.accept("Part");
              throw down;
            })
        .run();

    assertThat(run.snapshot().state()).isEqualTo(AiRun.State.FAILED);
    assertThat(run.snapshot().done()).isTrue();
    assertThat(run.snapshot().failure()).isSameAs(down);
    assertThat(run.takeFailure()).isSameAs(down);
    assertThat(run.takeFailure()).isNull();
  }

  @Test
  void piecesAfterTheEndAreIgnored() {
    var run = new AiRun("Why?");
    run.answered(answer("Done."));
    run.piece("late");
    assertThat(run.snapshot().text()).isEmpty();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static AiAnswer answer(String text) {
    var q =
        new Question(
            "q1", "c1", "s1", Addressee.AI, "Why?", QuestionStatus.ANSWERED, AT, AT, null, false);
    var a =
        new Answer(
            "a1",
            "q1",
            "c1",
            AuthorKind.MODEL,
            null,
            "gemma2:2b",
            "0".repeat(64),
            text,
            AT,
            null,
            null);
    return new AiAnswer(q, a, List.of());
  }
}
