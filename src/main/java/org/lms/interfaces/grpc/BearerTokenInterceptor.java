package org.lms.interfaces.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.Set;
import org.lms.application.Actor;
import org.lms.application.account.AccountService;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;

/**
 * Authenticates every public call by its {@code authorization: Bearer <token>} metadata through
 * {@link AccountService#authenticate}, and puts the {@link Actor} into the call's gRPC {@link
 * Context} for the service to read with {@link #actor()}. Login, the health service and reflection
 * need no token. Authorization (who may do what) stays in the application layer.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {

  /** The metadata header that carries the session token. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<Actor> ACTOR = Context.key("lms-actor");
  private static final String BEARER = "bearer ";

  /** Services whose every method is open to anyone. */
  private static final Set<String> OPEN_SERVICES =
      Set.of(
          "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection");

  /** Single methods open to anyone. */
  private static final Set<String> OPEN_METHODS =
      Set.of(AuthServiceGrpc.getLoginMethod().getFullMethodName());

  private final AccountService accounts;

  public BearerTokenInterceptor(AccountService accounts) {
    this.accounts = accounts;
  }

  /**
   * The signed-in user of the current call.
   *
   * @throws StatusRuntimeException UNAUTHENTICATED outside an authenticated call
   */
  public static Actor actor() {
    Actor actor = ACTOR.get();
    if (actor == null) {
      throw Status.UNAUTHENTICATED.withDescription("not signed in").asRuntimeException();
    }
    return actor;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    String service = call.getMethodDescriptor().getServiceName();
    if (OPEN_METHODS.contains(method) || OPEN_SERVICES.contains(service)) {
      return next.startCall(call, headers);
    }
    Actor actor;
    try {
      actor = accounts.authenticate(bearerToken(headers.get(AUTHORIZATION)));
    } catch (RuntimeException e) {
      StatusRuntimeException refused = ErrorMapper.toStatusException(e);
      Metadata trailers = refused.getTrailers() == null ? new Metadata() : refused.getTrailers();
      call.close(refused.getStatus(), trailers);
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(ACTOR, actor), call, headers, next);
  }

  private static String bearerToken(String header) {
    if (header == null
        || header.length() <= BEARER.length()
        || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      throw Status.UNAUTHENTICATED
          .withDescription("send the session token from Login as 'authorization: Bearer <token>'")
          .asRuntimeException();
    }
    return header.substring(BEARER.length()).strip();
  }
}
