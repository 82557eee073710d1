package org.lms.application.port;

import java.util.List;
import java.util.function.Consumer;

/**
 * A chat model (Ollama in production). It is called outside the state machine, once, by the node
 * that accepted the request; what it returns is committed as a command, so no replay calls it.
 */
public interface LanguageModel {

  /** The model's name as recorded with every answer it gives, e.g. {@code gemma2:2b}. */
  String name();

  /**
   * Sends {@code messages} and streams the reply: each piece of text goes to {@code pieces} as it
   * arrives, on the calling thread, and the whole reply is returned at the end.
   *
   * @throws LanguageModelException when the model server cannot be reached, answers with an error,
   *     is busy, or gives no complete reply within the configured bound; nothing has been committed
   */
  String chat(List<ChatMessage> messages, Consumer<String> pieces);

  /** Whether the model server answers and holds the configured model; never throws. */
  Health health();

  /** One message of a conversation. */
  record ChatMessage(Role role, String content) {}

  /** Who speaks a message: the fixed rules, or the user's turn. */
  enum Role {
    SYSTEM,
    USER
  }

  /** The model server's state as seen from this node. */
  record Health(boolean reachable, boolean modelPresent, String model, String detail) {
    public boolean up() {
      return reachable && modelPresent;
    }
  }

  /** Why a call to the model gave no answer; the message is meant for the user. */
  final class LanguageModelException extends RuntimeException {
    private final Failure failure;

    public LanguageModelException(Failure failure, String message, Throwable cause) {
      super(message, cause);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  /** The kinds of failure, so callers and metrics can tell them apart. */
  enum Failure {
    /** The server cannot be reached or answered with an error. */
    UNAVAILABLE,
    /** No complete reply arrived within the configured bound. */
    TIMED_OUT,
    /** Too many calls at once on this node (bulkhead full). */
    BUSY,
    /** Recent calls failed, so calls are refused for a while (circuit open). */
    CIRCUIT_OPEN
  }
}
