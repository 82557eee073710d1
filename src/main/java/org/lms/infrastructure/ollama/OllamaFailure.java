package org.lms.infrastructure.ollama;

import org.lms.application.port.LanguageModel.Failure;
import org.lms.application.port.LanguageModel.LanguageModelException;

/**
 * Why one call to Ollama failed, thrown inside the Fault Tolerance boundary. The kinds are classes
 * so that {@code @CircuitBreaker(failOn, skipOn)} can tell a broken server from a refused request;
 * {@link #toLanguageModelException()} gives the port's user-facing form.
 */
abstract sealed class OllamaFailure extends RuntimeException
    permits OllamaFailure.Unreachable,
        OllamaFailure.TooSlow,
        OllamaFailure.BadReply,
        OllamaFailure.Refused {

  private OllamaFailure(String detail, Throwable cause) {
    super(detail, cause);
  }

  /** What went wrong, for logs and the health endpoint; not meant for students. */
  String detail() {
    return getMessage();
  }

  abstract LanguageModelException toLanguageModelException();

  /** No connection, or the connection broke: the server is down or the URL is wrong. */
  static final class Unreachable extends OllamaFailure {
    Unreachable(String detail, Throwable cause) {
      super(detail, cause);
    }

    @Override
    LanguageModelException toLanguageModelException() {
      return new LanguageModelException(
          Failure.UNAVAILABLE, "The AI assistant is not reachable right now.", this);
    }
  }

  /** No complete reply within the bound (the server stalled or answers too slowly). */
  static final class TooSlow extends OllamaFailure {
    TooSlow(String detail, Throwable cause) {
      super(detail, cause);
    }

    @Override
    LanguageModelException toLanguageModelException() {
      return timedOut(this);
    }
  }

  /** The server failed while answering: HTTP 5xx, an error line mid-stream, or broken NDJSON. */
  static final class BadReply extends OllamaFailure {
    BadReply(String detail, Throwable cause) {
      super(detail, cause);
    }

    @Override
    LanguageModelException toLanguageModelException() {
      return new LanguageModelException(
          Failure.UNAVAILABLE, "The AI assistant failed while answering (" + detail() + ").", this);
    }
  }

  /**
   * The server refused this request with HTTP 4xx, e.g. the model is not installed. Not the
   * server's fault, so it does not count towards opening the circuit.
   */
  static final class Refused extends OllamaFailure {
    private final int status;
    private final String serverMessage;

    Refused(int status, String serverMessage) {
      super("HTTP " + status + ": " + serverMessage, null);
      this.status = status;
      this.serverMessage = serverMessage;
    }

    int status() {
      return status;
    }

    /** Ollama's own {@code error} text, e.g. {@code model "x" not found, try pulling it first}. */
    String serverMessage() {
      return serverMessage;
    }

    @Override
    LanguageModelException toLanguageModelException() {
      return new LanguageModelException(
          Failure.UNAVAILABLE,
          "The AI assistant cannot answer right now (the model server says: "
              + serverMessage
              + ").",
          this);
    }
  }

  /** The one TIMED_OUT message, whether our deadline or Fault Tolerance's {@code @Timeout} hit. */
  static LanguageModelException timedOut(Throwable cause) {
    return new LanguageModelException(
        Failure.TIMED_OUT, "The AI assistant took too long to answer.", cause);
  }
}
