package org.lms.infrastructure.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.lms.application.port.LanguageModel;

/**
 * A {@link LanguageModel} that reports every {@link #chat} call: how long it took and, when it gave
 * no answer, its {@link LanguageModel.Failure}. Health probes are not counted as calls.
 */
public final class MeteredLanguageModel implements LanguageModel {

  private final LanguageModel delegate;
  private final AiMetrics metrics;

  public MeteredLanguageModel(LanguageModel delegate, AiMetrics metrics) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String chat(List<ChatMessage> messages, Consumer<String> pieces) {
    long started = System.nanoTime();
    Optional<Failure> failure = Optional.of(Failure.UNAVAILABLE);
    try {
      String reply = delegate.chat(messages, pieces);
      failure = Optional.empty();
      return reply;
    } catch (LanguageModelException e) {
      failure = Optional.ofNullable(e.failure()).or(() -> Optional.of(Failure.UNAVAILABLE));
      throw e;
    } finally {
      // any other exception escaping the adapter counts as the server being unavailable
      metrics.called(Duration.ofNanos(System.nanoTime() - started), failure);
    }
  }

  @Override
  public Health health() {
    return delegate.health();
  }
}
