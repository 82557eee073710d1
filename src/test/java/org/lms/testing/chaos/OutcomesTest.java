package org.lms.testing.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status.Code;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lms.testing.chaos.Operation.Kind;
import org.lms.testing.chaos.Operation.Status;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OutcomesTest {

  @ParameterizedTest
  @EnumSource(Kind.class)
  void okIsOk(Kind kind) {
    assertThat(Outcomes.of(Code.OK, kind)).isEqualTo(Status.OK);
  }

  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {
        "INVALID_ARGUMENT",
        "PERMISSION_DENIED",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "FAILED_PRECONDITION",
        "UNAUTHENTICATED",
        "OUT_OF_RANGE"
      })
  void refusalsThatGuaranteeNoEffectFail(Code code) {
    assertThat(Outcomes.of(code, Kind.WRITE)).isEqualTo(Status.FAIL);
    assertThat(Outcomes.of(code, Kind.READ)).isEqualTo(Status.FAIL);
  }

  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {
        "DEADLINE_EXCEEDED",
        "UNAVAILABLE",
        "CANCELLED",
        "INTERNAL",
        "UNKNOWN",
        "ABORTED",
        "RESOURCE_EXHAUSTED",
        "DATA_LOSS",
        "UNIMPLEMENTED"
      })
  void everythingElseIsUnknown(Code code) {
    assertThat(Outcomes.of(code, Kind.WRITE)).isEqualTo(Status.UNKNOWN);
    assertThat(Outcomes.of(code, Kind.READ)).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void aWriteFailsOnlyForTheSevenNoEffectCodes() {
    var failing = EnumSet.noneOf(Code.class);
    for (Code code : Code.values()) {
      if (Outcomes.of(code, Kind.WRITE) == Status.FAIL) {
        failing.add(code);
      }
    }
    assertThat(failing)
        .containsExactlyInAnyOrder(
            Code.INVALID_ARGUMENT,
            Code.PERMISSION_DENIED,
            Code.NOT_FOUND,
            Code.ALREADY_EXISTS,
            Code.FAILED_PRECONDITION,
            Code.UNAUTHENTICATED,
            Code.OUT_OF_RANGE);
  }
}
