package org.lms.infrastructure.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;
import org.lms.application.port.LanguageModel.Failure;
import org.lms.application.port.LanguageModel.LanguageModelException;

/** Every failure reaches the caller as the port's exception, with a message for people. */
class OllamaLanguageModelTest {

  private static LanguageModelException mapped(RuntimeException thrown) {
    return OllamaLanguageModel.toLanguageModelException(thrown);
  }

  @Test
  void faultToleranceTimeoutIsTimedOut() {
    var e = mapped(new TimeoutException());

    assertThat(e.failure()).isEqualTo(Failure.TIMED_OUT);
    assertThat(e.getMessage()).isEqualTo("The AI assistant took too long to answer.");
    assertThat(e).hasCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void ourOwnDeadlineGivesTheSameMessage() {
    var e = mapped(new OllamaFailure.TooSlow("no complete reply within 1 ms", null));

    assertThat(e.failure()).isEqualTo(Failure.TIMED_OUT);
    assertThat(e.getMessage()).isEqualTo(mapped(new TimeoutException()).getMessage());
  }

  @Test
  void aFullBulkheadIsBusy() {
    var e = mapped(new BulkheadException("No free work permits."));

    assertThat(e.failure()).isEqualTo(Failure.BUSY);
    assertThat(e.getMessage()).contains("busy").doesNotContain("permits");
  }

  @Test
  void anOpenCircuitIsCircuitOpen() {
    var e = mapped(new CircuitBreakerOpenException());

    assertThat(e.failure()).isEqualTo(Failure.CIRCUIT_OPEN);
    assertThat(e.getMessage()).doesNotContain("stays open");
  }

  @Test
  void anUnreachableServerIsUnavailable() {
    var e = mapped(new OllamaFailure.Unreachable("ConnectException: Connection refused", null));

    assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
    assertThat(e.getMessage()).isEqualTo("The AI assistant is not reachable right now.");
  }

  @Test
  void aBrokenReplyIsUnavailableAndSaysWhy() {
    var e = mapped(new OllamaFailure.BadReply("HTTP 500: llama runner terminated", null));

    assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
    assertThat(e.getMessage()).contains("llama runner terminated");
  }

  @Test
  void anyOtherFaultToleranceFailureIsUnavailable() {
    var e = mapped(new FaultToleranceException("something else"));

    assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
    assertThat(e.getMessage()).doesNotContain("something else");
  }
}
