package org.lms.infrastructure.metrics;

import java.time.Duration;
import org.lms.domain.state.Rejection;

/**
 * Where {@link MeteredCommandGateway} reports how long proposing a command took, and the commands
 * this node refused before proposing them.
 */
public interface CommandMetrics {

  /**
   * @param type the command's simple class name, e.g. {@code CreateCourse}
   * @param took from the proposal until this node applied it, or until it failed
   */
  void submitted(String type, Duration took);

  /** This node's check refused a command, which therefore never reached the log. */
  void refused(Rejection rejection);
}
