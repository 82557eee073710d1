package org.lms.infrastructure.ollama;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.lms.application.port.LanguageModel.ChatMessage;
import org.lms.application.port.LanguageModel.Health;

/**
 * This node's calls to Ollama behind MicroProfile Fault Tolerance: a bound on the whole reply, a
 * limit on replies at once, and a circuit that stops calling a server that keeps failing. Kept
 * apart from {@link OllamaLanguageModel} because the Fault Tolerance exceptions are thrown around
 * these methods, where only a caller can turn them into the port's exceptions.
 *
 * <p>The annotation values are defaults; {@code microprofile-config.properties} ties {@code
 * Timeout/value} to {@code LMS_AI_TIMEOUT_MS} and {@code Bulkhead/value} to {@code
 * LMS_AI_CONCURRENCY}. The client enforces the same bound on its own, because a blocked socket read
 * does not react to the interrupt that {@code @Timeout} sends.
 */
@ApplicationScoped
public class OllamaCalls {
  private static final Logger LOG = Logger.getLogger(OllamaCalls.class.getName());

  @Inject Config config;

  private volatile OllamaClient client;
  private volatile String settingsProblem;
  private volatile String model = OllamaSettings.DEFAULT_MODEL;

  @PostConstruct
  void connect() {
    try {
      OllamaSettings settings =
          OllamaSettings.read(key -> config.getOptionalValue(key, String.class));
      model = settings.model();
      client = new OllamaClient(settings);
    } catch (IllegalArgumentException e) {
      // the node keeps serving everything else; the assistant reports the bad key instead
      settingsProblem = e.getMessage();
      LOG.log(Level.SEVERE, "The AI assistant is off: {0}", settingsProblem);
    }
  }

  @PreDestroy
  void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  String model() {
    return model;
  }

  /**
   * One streamed reply. Counted as failures by the circuit: an unreachable, stalled or broken
   * server and the {@code @Timeout}; not a refused request (4xx, e.g. a model not pulled), which
   * says nothing about the server's health, nor a full bulkhead.
   */
  @Timeout(120_000)
  @Bulkhead(2)
  @CircuitBreaker(
      requestVolumeThreshold = 4,
      failureRatio = 0.75,
      delay = 30_000,
      successThreshold = 1,
      failOn = {
        OllamaFailure.Unreachable.class,
        OllamaFailure.TooSlow.class,
        OllamaFailure.BadReply.class,
        TimeoutException.class
      },
      skipOn = OllamaFailure.Refused.class)
  public String chat(List<ChatMessage> messages, Consumer<String> pieces) {
    return connected().chat(messages, pieces);
  }

  /** Not guarded: it has its own short timeout and must answer even while the circuit is open. */
  public Health health() {
    if (client == null) {
      return new Health(false, false, model, settingsProblem);
    }
    return client.health();
  }

  private OllamaClient connected() {
    if (client == null) {
      throw new OllamaFailure.Unreachable("not configured: " + settingsProblem, null);
    }
    return client;
  }
}
