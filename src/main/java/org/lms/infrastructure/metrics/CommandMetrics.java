package org.lms.infrastructure.metrics;

import java.time.Duration;

/** Where {@link MeteredCommandGateway} reports how long proposing a command took. */
@FunctionalInterface
public interface CommandMetrics {

  /**
   * @param type the command's simple class name, e.g. {@code CreateCourse}
   * @param took from the proposal until this node applied it, or until it failed
   */
  void submitted(String type, Duration took);
}
