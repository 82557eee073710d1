package org.lms.interfaces.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The outermost layer of every public service: whatever escapes a service or an interceptor is
 * closed with {@link ErrorMapper}'s status instead of grpc-java's UNKNOWN, and a request whose
 * bytes are not a valid message gets INVALID_ARGUMENT instead of INTERNAL.
 *
 * <p>grpc-java parses a request before any interceptor sees it, so a parse failure could not be
 * caught here; {@link #guard} therefore makes the transport hand over raw bytes and lets the
 * service's own parser run inside this guard.
 *
 * <p>A call that takes one request message (unary, server streaming) but gets none before the
 * client closes its side, or gets a second one, is a malformed request too: grpc-java's own handler
 * would close it with INTERNAL, so the guard answers INVALID_ARGUMENT first.
 */
final class RequestGuard implements ServerInterceptor {
  private static final Logger LOG = Logger.getLogger(RequestGuard.class.getName());

  /** {@code service} with raw-byte transport and this guard around it. */
  static ServerServiceDefinition guard(ServerServiceDefinition service) {
    return ServerInterceptors.intercept(
        ServerInterceptors.useMarshalledMessages(service, RawBytes.INSTANCE), new RequestGuard());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    GuardedCall<Q, R> guarded = new GuardedCall<>(call);
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    boolean oneRequest = method.getType().clientSendsOneMessage();
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(guarded, headers);
    } catch (RuntimeException e) {
      guarded.fail(e);
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      // the transport delivers one call's events one at a time, in order
      private int messages;

      @Override
      public void onMessage(Q message) {
        if (guarded.isOpen()) {
          if (oneRequest && ++messages > 1) {
            guarded.fail(malformedCall(method, "takes exactly one request message, got more"));
            return;
          }
          try {
            super.onMessage(message);
          } catch (RuntimeException e) {
            guarded.fail(unparseable(e) ? badMessage(method) : e);
          }
        }
      }

      @Override
      public void onHalfClose() {
        if (guarded.isOpen()) {
          if (oneRequest && messages == 0) {
            guarded.fail(malformedCall(method, "needs a request message, the client sent none"));
            return;
          }
          try {
            super.onHalfClose();
          } catch (RuntimeException e) {
            guarded.fail(e);
          }
        }
      }

      @Override
      public void onReady() {
        if (guarded.isOpen()) {
          try {
            super.onReady();
          } catch (RuntimeException e) {
            guarded.fail(e);
          }
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "failure while cleaning up a cancelled call", e);
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "failure after a call completed", e);
        }
      }
    };
  }

  private static boolean unparseable(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidProtocolBufferException) {
        return true;
      }
    }
    return false;
  }

  private static StatusRuntimeException badMessage(MethodDescriptor<?, ?> method) {
    return Status.INVALID_ARGUMENT
        .withDescription(
            "the request is not a valid message for "
                + method.getFullMethodName()
                + " (malformed protobuf bytes)")
        .asRuntimeException();
  }

  private static StatusRuntimeException malformedCall(MethodDescriptor<?, ?> method, String what) {
    return Status.INVALID_ARGUMENT
        .withDescription(method.getFullMethodName() + " " + what)
        .asRuntimeException();
  }

  /** Remembers whether the call was closed, so that it is closed exactly once. */
  private static final class GuardedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private volatile boolean closed;

    GuardedCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    boolean isOpen() {
      return !closed;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      super.close(status, trailers);
    }

    void fail(Throwable failure) {
      StatusRuntimeException mapped = ErrorMapper.toStatusException(failure);
      Metadata trailers = mapped.getTrailers() == null ? new Metadata() : mapped.getTrailers();
      try {
        close(mapped.getStatus(), trailers);
      } catch (IllegalStateException alreadyClosed) {
        // the service closed it itself just before failing
      }
    }
  }

  /** Hands message bytes through unparsed (tests send malformed requests with it too). */
  enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
