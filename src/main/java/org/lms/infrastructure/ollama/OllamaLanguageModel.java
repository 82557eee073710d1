package org.lms.infrastructure.ollama;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.lms.application.port.LanguageModel;

/**
 * The {@link LanguageModel} port on Ollama. It maps every way a call can fail, ours ({@link
 * OllamaFailure}) and Fault Tolerance's, to a {@link LanguageModelException} whose message a
 * student or instructor can read; the technical cause stays attached for the log.
 */
@ApplicationScoped
public class OllamaLanguageModel implements LanguageModel {
  static final String BUSY = "The AI assistant is busy with other questions.";
  static final String CIRCUIT_OPEN =
      "The AI assistant failed several times in a row and is paused for a moment.";
  static final String UNAVAILABLE = "The AI assistant is not available right now.";

  @Inject OllamaCalls calls;

  @Override
  public String name() {
    return calls.model();
  }

  @Override
  public String chat(List<ChatMessage> messages, Consumer<String> pieces) {
    try {
      return calls.chat(messages, pieces);
    } catch (OllamaFailure | FaultToleranceException e) {
      throw toLanguageModelException(e);
    }
  }

  @Override
  public Health health() {
    try {
      return calls.health();
    } catch (RuntimeException e) {
      return new Health(false, false, calls.model(), "health check failed: " + e);
    }
  }

  /** The port's exception for what the guarded call threw; pure, for tests. */
  static LanguageModelException toLanguageModelException(RuntimeException thrown) {
    if (thrown instanceof OllamaFailure failure) {
      return failure.toLanguageModelException();
    }
    if (thrown instanceof TimeoutException) {
      return OllamaFailure.timedOut(thrown);
    }
    if (thrown instanceof BulkheadException) {
      return new LanguageModelException(Failure.BUSY, BUSY, thrown);
    }
    if (thrown instanceof CircuitBreakerOpenException) {
      return new LanguageModelException(Failure.CIRCUIT_OPEN, CIRCUIT_OPEN, thrown);
    }
    return new LanguageModelException(Failure.UNAVAILABLE, UNAVAILABLE, thrown);
  }

  /**
   * A model on one Ollama server without the container's Fault Tolerance (no bulkhead, no circuit;
   * the reply's bound still holds, because the client enforces it itself), configured by the same
   * keys: for the in-JVM test cluster and for tools that run outside Payara.
   */
  public static Unguarded unguarded(Function<String, Optional<String>> settings) {
    return new Unguarded(new OllamaClient(OllamaSettings.read(settings)), settings);
  }

  /** See {@link #unguarded}; close it to release its HTTP client. */
  public static final class Unguarded implements LanguageModel, AutoCloseable {
    private final OllamaClient client;
    private final String model;

    private Unguarded(OllamaClient client, Function<String, Optional<String>> settings) {
      this.client = client;
      this.model = OllamaSettings.read(settings).model();
    }

    @Override
    public String name() {
      return model;
    }

    @Override
    public String chat(List<ChatMessage> messages, Consumer<String> pieces) {
      try {
        return client.chat(messages, pieces);
      } catch (OllamaFailure e) {
        throw toLanguageModelException(e);
      }
    }

    @Override
    public Health health() {
      return client.health();
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
