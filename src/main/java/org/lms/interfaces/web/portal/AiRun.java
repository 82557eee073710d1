package org.lms.interfaces.web.portal;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.lms.application.assistant.AiAssistant.AiAnswer;

/**
 * One question to the AI being answered on a container-managed thread while the course page polls
 * it: the pieces of the reply as they arrive, then the committed answer or the failure. The
 * generating thread writes, request threads read {@link Snapshot}s; every method is synchronized.
 * Kept by the view-scoped page bean (transient: a thread's work cannot travel with a view). Public
 * for EL, which calls only methods of public types.
 */
public final class AiRun {

  /** Where a run is: the model is writing, the answer is committed, or no answer came. */
  public enum State {
    WRITING,
    ANSWERED,
    FAILED
  }

  /** What a page shows of a run at one moment; {@code answer} or {@code failure} once done. */
  public record Snapshot(
      String question, String text, State state, AiAnswer answer, RuntimeException failure) {
    public boolean done() {
      return state != State.WRITING;
    }
  }

  private final String question;
  private final StringBuilder text = new StringBuilder();
  private State state = State.WRITING;
  private AiAnswer answer;
  private RuntimeException failure;
  private boolean failureTaken;

  AiRun(String question) {
    this.question = question;
  }

  /**
   * Starts {@code ask} on {@code executor}: it gets the consumer of the reply's pieces and returns
   * the committed answer, or throws (the failure is kept for the page to show).
   *
   * @throws java.util.concurrent.RejectedExecutionException when the executor takes no more work
   */
  static AiRun start(Executor executor, String question, Function<Consumer<String>, AiAnswer> ask) {
    AiRun run = new AiRun(question);
    executor.execute(run.task(ask));
    return run;
  }

  /** The work of a run, for an executor (or a test) to run once. */
  Runnable task(Function<Consumer<String>, AiAnswer> ask) {
    return () -> {
      try {
        answered(ask.apply(this::piece));
      } catch (RuntimeException e) {
        failed(e);
      } catch (Error e) { // the page must not poll a dead run forever
        failed(new IllegalStateException("the answer's thread failed", e));
        throw e;
      }
    };
  }

  synchronized void piece(String piece) {
    if (state == State.WRITING) {
      text.append(piece);
    }
  }

  synchronized void answered(AiAnswer committed) {
    answer = committed;
    state = State.ANSWERED;
  }

  synchronized void failed(RuntimeException e) {
    failure = e;
    state = State.FAILED;
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(question, text.toString(), state, answer, failure);
  }

  /** The failure, the first time it is asked for after the run failed (shown once); else null. */
  synchronized RuntimeException takeFailure() {
    if (state != State.FAILED || failureTaken) {
      return null;
    }
    failureTaken = true;
    return failure;
  }
}
