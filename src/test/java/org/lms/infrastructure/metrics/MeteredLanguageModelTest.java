package org.lms.infrastructure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.lms.application.port.LanguageModel;

/** Every chat call is reported once, with its failure when it gave no answer. */
class MeteredLanguageModelTest {

  private final List<Optional<LanguageModel.Failure>> reported = new ArrayList<>();
  private final List<Duration> took = new ArrayList<>();
  private final AiMetrics metrics =
      (duration, failure) -> {
        took.add(duration);
        reported.add(failure);
      };

  @Test
  void anAnswerIsACallWithoutFailure() {
    var model = new MeteredLanguageModel(answering("forty-two"), metrics);
    List<String> pieces = new ArrayList<>();

    assertThat(model.chat(List.of(), pieces::add)).isEqualTo("forty-two");

    assertThat(pieces).containsExactly("forty-two");
    assertThat(reported).containsExactly(Optional.empty());
    assertThat(took.get(0).isNegative()).isFalse();
  }

  @Test
  void aFailedCallIsReportedWithItsFailureAndRethrown() {
    var failing =
        new LanguageModel.LanguageModelException(LanguageModel.Failure.BUSY, "busy", null);
    var model = new MeteredLanguageModel(throwing(failing), metrics);

    assertThatThrownBy(() -> model.chat(List.of(), p -> {})).isSameAs(failing);

    assertThat(reported).containsExactly(Optional.of(LanguageModel.Failure.BUSY));
  }

  @Test
  void anyOtherExceptionCountsAsUnavailable() {
    var model = new MeteredLanguageModel(throwing(new IllegalStateException("bug")), metrics);

    assertThatThrownBy(() -> model.chat(List.of(), p -> {}))
        .isInstanceOf(IllegalStateException.class);

    assertThat(reported).containsExactly(Optional.of(LanguageModel.Failure.UNAVAILABLE));
  }

  @Test
  void healthProbesAreNotCalls() {
    var model = new MeteredLanguageModel(answering("x"), metrics);

    assertThat(model.health().up()).isTrue();
    assertThat(model.name()).isEqualTo("stand-in");
    assertThat(reported).isEmpty();
  }

  private static LanguageModel answering(String reply) {
    return new StandIn() {
      @Override
      public String chat(List<ChatMessage> messages, Consumer<String> pieces) {
        pieces.accept(reply);
        return reply;
      }
    };
  }

  private static LanguageModel throwing(RuntimeException e) {
    return new StandIn() {
      @Override
      public String chat(List<ChatMessage> messages, Consumer<String> pieces) {
        throw e;
      }
    };
  }

  private abstract static class StandIn implements LanguageModel {
    @Override
    public String name() {
      return "stand-in";
    }

    @Override
    public Health health() {
      return new Health(true, true, "stand-in", "");
    }
  }
}
