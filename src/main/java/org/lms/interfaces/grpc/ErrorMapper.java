package org.lms.interfaces.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.lms.application.TooManyAttemptsException;
import org.lms.application.UnauthenticatedException;
import org.lms.application.assistant.AiAssistant.AssistantUnavailableException;
import org.lms.application.port.BlobStore.BlobNotFoundException;
import org.lms.application.port.BlobStore.BlobTooLargeException;
import org.lms.application.port.BlobStore.BlobUnavailableException;
import org.lms.application.port.CommandGateway.ClusterUnavailableException;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.Rejection;

/**
 * The one place where failures become gRPC statuses. Business rejections keep their message, name
 * the request field at fault (in the proto's snake_case) and carry a {@code google.rpc.ErrorInfo}
 * whose reason is the rejection's name; anything unexpected becomes INTERNAL with a generic message
 * and an incident id, and is logged with its stack trace.
 */
final class ErrorMapper {
  /** The {@code ErrorInfo.domain} of every LMS error. */
  static final String DOMAIN = "lms.v1";

  private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());
  private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

  private ErrorMapper() {}

  /** The status exception for {@code failure}, with its details in the trailers. */
  static StatusRuntimeException toStatusException(Throwable failure) {
    if (failure instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (failure instanceof StatusException se) {
      return new StatusRuntimeException(se.getStatus(), se.getTrailers());
    }
    return StatusProto.toStatusRuntimeException(toRpcStatus(failure));
  }

  /** The status (code, message, details) for {@code failure}, as a {@code google.rpc.Status}. */
  static com.google.rpc.Status toRpcStatus(Throwable failure) {
    if (failure instanceof StatusRuntimeException || failure instanceof StatusException) {
      com.google.rpc.Status detailed = StatusProto.fromThrowable(failure);
      if (detailed != null) {
        return detailed;
      }
      Status s = Status.fromThrowable(failure);
      return rpc(s.getCode(), s.getDescription());
    }
    if (failure instanceof RejectedException rejected) {
      return rejection(rejected.rejection());
    }
    if (failure instanceof UnauthenticatedException) {
      return rpc(Status.Code.UNAUTHENTICATED, failure.getMessage());
    }
    if (failure instanceof TooManyAttemptsException throttled) {
      long millis = Math.max(1, throttled.retryAfter().toMillis());
      return rpc(Status.Code.RESOURCE_EXHAUSTED, failure.getMessage()).toBuilder()
          .addDetails(errorInfo("TOO_MANY_ATTEMPTS", ""))
          .addDetails(
              Any.pack(
                  RetryInfo.newBuilder()
                      .setRetryDelay(
                          com.google.protobuf.Duration.newBuilder()
                              .setSeconds(millis / 1000)
                              .setNanos((int) (millis % 1000) * 1_000_000))
                      .build()))
          .build();
    }
    if (failure instanceof AssistantUnavailableException ai) {
      Status.Code code =
          switch (ai.failure()) {
            case TIMED_OUT -> Status.Code.DEADLINE_EXCEEDED;
            case BUSY -> Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE, CIRCUIT_OPEN -> Status.Code.UNAVAILABLE;
          };
      return withReason(rpc(code, failure.getMessage()), "AI_" + ai.failure().name());
    }
    if (failure instanceof BlobTooLargeException) {
      return withReason(
          rpc(Status.Code.RESOURCE_EXHAUSTED, failure.getMessage()), "FILE_TOO_LARGE");
    }
    if (failure instanceof BlobUnavailableException
        || failure instanceof BlobNotFoundException
        || failure instanceof ClusterUnavailableException) {
      // a wait sized to the call's deadline (ReadBarrier) ends once the deadline has passed
      if (deadlinePassed()) {
        return rpc(Status.Code.DEADLINE_EXCEEDED, "the deadline passed: " + failure.getMessage());
      }
      return rpc(
          Status.Code.UNAVAILABLE, failure.getMessage() + "; retry, here or on another node");
    }
    if (failure instanceof IOException) {
      LOG.log(Level.WARNING, "storage failure while serving a call", failure);
      return rpc(Status.Code.UNAVAILABLE, "this node could not read or write a file; retry");
    }
    if (Context.current().isCancelled()) {
      return rpc(
          deadlinePassed() ? Status.Code.DEADLINE_EXCEEDED : Status.Code.CANCELLED,
          "the call ended before it was served");
    }
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "unexpected failure, incident " + incident, failure);
    return rpc(Status.Code.INTERNAL, "internal error (incident " + incident + ")");
  }

  /** The status for a call whose caller cancelled it or whose deadline passed. */
  static StatusRuntimeException callEnded() {
    return deadlinePassed()
        ? Status.DEADLINE_EXCEEDED.withDescription("the deadline passed").asRuntimeException()
        : Status.CANCELLED.withDescription("the call was cancelled").asRuntimeException();
  }

  /** The proto field name for a domain field name: {@code courseId} becomes {@code course_id}. */
  static String protoField(String field) {
    return CAMEL_HUMP.matcher(field).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
  }

  private static com.google.rpc.Status rejection(Rejection r) {
    Status.Code code =
        switch (r.kind()) {
          case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
          case NOT_FOUND -> Status.Code.NOT_FOUND;
          case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
          case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
          case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
        };
    if (code != Status.Code.INVALID_ARGUMENT || r.field().isEmpty()) {
      return withReason(rpc(code, r.message()), r.reason().name());
    }
    String field = protoField(r.field());
    String message = r.message();
    // the domain's messages start with its own field name; say it as the request does
    if (message.startsWith(r.field() + " ")) {
      message = message.substring(r.field().length() + 1);
    }
    return rpc(code, field + ": " + message).toBuilder()
        .addDetails(errorInfo(r.reason().name(), field))
        .addDetails(
            Any.pack(
                BadRequest.newBuilder()
                    .addFieldViolations(
                        BadRequest.FieldViolation.newBuilder()
                            .setField(field)
                            .setDescription(message))
                    .build()))
        .build();
  }

  private static com.google.rpc.Status withReason(com.google.rpc.Status status, String reason) {
    return status.toBuilder().addDetails(errorInfo(reason, "")).build();
  }

  private static Any errorInfo(String reason, String field) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN);
    if (!field.isEmpty()) {
      info.putMetadata("field", field);
    }
    return Any.pack(info.build());
  }

  private static com.google.rpc.Status rpc(Status.Code code, String message) {
    return com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(nullToEmpty(message))
        .build();
  }

  private static boolean deadlinePassed() {
    Deadline deadline = Context.current().getDeadline();
    return deadline != null && deadline.isExpired();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
