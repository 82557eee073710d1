package org.lms.interfaces.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the status a call ends with, including the details the error mapper attaches. */
final class GrpcAssertions {
  private GrpcAssertions() {}

  /** Runs {@code call}, which must fail with {@code code}; returns the failure. */
  static StatusRuntimeException failsWith(Status.Code code, ThrowingCallable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
    assertThat(e).as("the call should fail with " + code).isNotNull();
    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
    return e;
  }

  /** Runs {@code call}, which must fail with INVALID_ARGUMENT naming {@code field}. */
  static StatusRuntimeException invalid(String field, ThrowingCallable call) {
    StatusRuntimeException e = failsWith(Status.Code.INVALID_ARGUMENT, call);
    assertThat(e.getStatus().getDescription()).startsWith(field + ": ");
    assertThat(fieldViolation(e)).isEqualTo(field);
    return e;
  }

  /** The ErrorInfo reason the failure carries. */
  static String reason(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).as("status details").isNotNull();
    for (var detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException x) {
          throw new AssertionError(x);
        }
      }
    }
    throw new AssertionError("no ErrorInfo in " + status);
  }

  private static String fieldViolation(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).as("status details").isNotNull();
    for (var detail : status.getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        try {
          return detail.unpack(BadRequest.class).getFieldViolations(0).getField();
        } catch (InvalidProtocolBufferException x) {
          throw new AssertionError(x);
        }
      }
    }
    throw new AssertionError("no BadRequest in " + status);
  }
}
