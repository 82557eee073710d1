package org.lms.infrastructure.metrics;

import java.time.Duration;
import java.util.Optional;
import org.lms.application.port.LanguageModel.Failure;

/** Where {@link MeteredLanguageModel} reports each chat call. */
@FunctionalInterface
public interface AiMetrics {

  /**
   * @param took from the call until the whole reply arrived, or until it failed
   * @param failure why the call gave no answer; empty when it answered
   */
  void called(Duration took, Optional<Failure> failure);
}
