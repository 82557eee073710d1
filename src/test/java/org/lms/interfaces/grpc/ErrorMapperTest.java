package org.lms.interfaces.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lms.application.TooManyAttemptsException;
import org.lms.application.UnauthenticatedException;
import org.lms.application.port.BlobStore.BlobNotFoundException;
import org.lms.application.port.BlobStore.BlobTooLargeException;
import org.lms.application.port.BlobStore.BlobUnavailableException;
import org.lms.application.port.CommandGateway.ClusterUnavailableException;
import org.lms.domain.state.Checks;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;

class ErrorMapperTest {

  @Test
  void everyRejectionKindHasItsCode() {
    assertThat(code(new RejectedException(RejectionReason.UNKNOWN_COURSE, "courseId", "no")))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(new RejectedException(RejectionReason.DUPLICATE_USERNAME, "username", "x")))
        .isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(code(new RejectedException(RejectionReason.NOT_ENROLLED, "courseId", "x")))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(new RejectedException(RejectionReason.STALE_GRADE_VERSION, "x", "x")))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(code(Checks.invalid("dueAt", "must be after opensAt")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void anInvalidArgumentNamesTheProtoField() throws Exception {
    var status = ErrorMapper.toRpcStatus(Checks.invalid("dueAt", "must be after opensAt"));

    assertThat(status.getMessage()).isEqualTo("due_at: must be after opensAt");
    var badRequest =
        status.getDetailsList().stream().filter(d -> d.is(BadRequest.class)).findFirst();
    assertThat(badRequest.orElseThrow().unpack(BadRequest.class).getFieldViolations(0).getField())
        .isEqualTo("due_at");
    var info = status.getDetailsList().stream().filter(d -> d.is(ErrorInfo.class)).findFirst();
    assertThat(info.orElseThrow().unpack(ErrorInfo.class).getReason()).isEqualTo("INVALID_FIELD");
  }

  @Test
  void infrastructureFailuresAreRetryableOrExhausted() throws Exception {
    assertThat(code(new UnauthenticatedException("no"))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(new BlobTooLargeException(10))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(code(new BlobUnavailableException("x"))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(new BlobNotFoundException("x"))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(new ClusterUnavailableException("x", null))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(code(new IOException("disk"))).isEqualTo(Status.Code.UNAVAILABLE);
    var throttled = ErrorMapper.toRpcStatus(new TooManyAttemptsException(Duration.ofMillis(2500)));
    assertThat(throttled.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
    var retry = throttled.getDetailsList().stream().filter(d -> d.is(RetryInfo.class)).findFirst();
    var delay = retry.orElseThrow().unpack(RetryInfo.class).getRetryDelay();
    assertThat(delay.getSeconds()).isEqualTo(2);
    assertThat(delay.getNanos()).isEqualTo(500_000_000);
  }

  @Test
  void anythingElseIsInternalWithoutItsMessage() {
    var status = ErrorMapper.toRpcStatus(new IllegalStateException("secret detail"));

    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL.value());
    assertThat(status.getMessage())
        .startsWith("internal error (incident ")
        .doesNotContain("secret");
  }

  @Test
  void statusExceptionsPassThrough() {
    var given = Status.NOT_FOUND.withDescription("gone").asRuntimeException();

    assertThat(ErrorMapper.toStatusException(given)).isSameAs(given);
    assertThat(ErrorMapper.toRpcStatus(given).getMessage()).isEqualTo("gone");
  }

  @Test
  void domainFieldNamesBecomeSnakeCase() {
    assertThat(ErrorMapper.protoField("courseId")).isEqualTo("course_id");
    assertThat(ErrorMapper.protoField("promptSha256")).isEqualTo("prompt_sha256");
    assertThat(ErrorMapper.protoField("sha256")).isEqualTo("sha256");
    assertThat(ErrorMapper.protoField("read_options.min_index"))
        .isEqualTo("read_options.min_index");
  }

  private static Status.Code code(Throwable t) {
    return Status.fromCodeValue(ErrorMapper.toRpcStatus(t).getCode()).getCode();
  }
}
