package org.lms.interfaces.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One request of the fuzz test: the rpc, the node it goes to, the authorization it carries, the raw
 * message bytes it sends (built only when sent, so that big ones never pile up), and how the client
 * ends its side. Sent over a plain {@link ClientCall} with a byte marshaller, so that any bytes can
 * go out, and whatever arrives back is only counted.
 *
 * @param number its place in the generated sequence
 * @param method the rpc (its marshallers are replaced by raw bytes)
 * @param node the node it goes to (1-based)
 * @param tokenKind what kind of credential it carries, for the report
 * @param authorization the {@code authorization} header, or null for none
 * @param messages the messages it sends, in order
 * @param ending what the client does after its last message
 * @param deadlineMillis the call's deadline
 * @param mustBeRefused true when the LMS must not accept it (a write or a sign-in that must fail)
 * @param description what it is, for the report of a violation
 */
record FuzzCase(
    int number,
    MethodDescriptor<?, ?> method,
    int node,
    String tokenKind,
    String authorization,
    List<Supplier<byte[]>> messages,
    Ending ending,
    long deadlineMillis,
    boolean mustBeRefused,
    String description) {

  /** What the client does once it has sent its messages. */
  enum Ending {
    /** Closes its side: the normal end of a request. */
    HALF_CLOSE,
    /** Cancels the call without closing its side (a stream cut off mid-way). */
    CANCEL,
    /** Closes its side, and cancels as soon as the first response message arrives. */
    CANCEL_ON_FIRST_RESPONSE,
    /** Does nothing more: the deadline ends the call (a server stream that never ends). */
    WAIT
  }

  /** How a call ended, with the first response messages it got (a download's first only). */
  record Result(Status status, List<byte[]> responses) {}

  /**
   * A raw call outside the generated sequence ({@code number} and {@code node} 0): {@code message}
   * to {@code method}, then the client closes its side.
   */
  static FuzzCase oneMessage(
      MethodDescriptor<?, ?> method, String authorization, byte[] message, long deadlineMillis) {
    return new FuzzCase(
        0,
        method,
        0,
        "",
        authorization,
        List.of(() -> message),
        Ending.HALF_CLOSE,
        deadlineMillis,
        false,
        message.length + " bytes");
  }

  /** Sends this request over {@code channel} and returns how the call ended. */
  Result send(Channel channel) {
    MethodDescriptor<byte[], byte[]> raw =
        method.toBuilder(RequestGuard.RawBytes.INSTANCE, RequestGuard.RawBytes.INSTANCE).build();
    ClientCall<byte[], byte[]> call =
        channel.newCall(
            raw, CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS));
    var closed = new CompletableFuture<Status>();
    var responses = new java.util.concurrent.CopyOnWriteArrayList<byte[]>();
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(BearerTokenInterceptor.AUTHORIZATION, authorization);
    }
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(byte[] message) {
            if (responses.size() < 2) {
              responses.add(message);
            }
            if (ending == Ending.CANCEL_ON_FIRST_RESPONSE) {
              call.cancel("the client gives up after the first message", null);
            }
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        headers);
    call.request(Integer.MAX_VALUE);
    for (Supplier<byte[]> message : messages) {
      if (closed.isDone()) {
        break; // the server already answered (a refusal): the rest would go nowhere
      }
      call.sendMessage(message.get());
    }
    switch (ending) {
      case HALF_CLOSE, CANCEL_ON_FIRST_RESPONSE -> {
        if (!closed.isDone()) {
          call.halfClose();
        }
      }
      case CANCEL -> call.cancel("the client cuts its stream off", null);
      case WAIT -> {}
    }
    try {
      return new Result(
          closed.get(deadlineMillis + 15_000, TimeUnit.MILLISECONDS), List.copyOf(responses));
    } catch (TimeoutException e) {
      call.cancel("no answer long after the deadline", null);
      throw new IllegalStateException(
          "call #" + number + " did not end 15 s after its deadline: " + this);
    } catch (Exception e) {
      throw new IllegalStateException("call #" + number + " failed on the client: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "#"
        + number
        + " "
        + method.getFullMethodName()
        + " on n"
        + node
        + " token="
        + tokenKind
        + " ending="
        + ending
        + (mustBeRefused ? " (must be refused)" : "")
        + ": "
        + description;
  }
}
