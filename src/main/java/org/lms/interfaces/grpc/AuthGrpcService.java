package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import io.grpc.stub.StreamObserver;
import org.lms.application.account.AccountService;
import org.lms.application.account.SignedIn;
import org.lms.application.port.CommandGateway;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.ChangePasswordRequest;
import org.lms.interfaces.grpc.v1.ChangePasswordResponse;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.LoginResponse;
import org.lms.interfaces.grpc.v1.LogoutRequest;
import org.lms.interfaces.grpc.v1.LogoutResponse;
import org.lms.interfaces.grpc.v1.WhoAmIRequest;
import org.lms.interfaces.grpc.v1.WhoAmIResponse;

/** lms.v1.AuthService over {@link AccountService}. */
final class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {
  private final AccountService accounts;
  private final CommandGateway gateway;

  AuthGrpcService(AccountService accounts, CommandGateway gateway) {
    this.accounts = accounts;
    this.gateway = gateway;
  }

  @Override
  public void login(LoginRequest request, StreamObserver<LoginResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          SignedIn signedIn =
              accounts.signIn(request.getUsername(), request.getPassword().toCharArray());
          return LoginResponse.newBuilder()
              .setToken(signedIn.token())
              .setExpiresAt(ProtoMapper.timestamp(signedIn.expiresAt()))
              .setUser(ProtoMapper.whoAmI(signedIn.actor()))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void logout(LogoutRequest request, StreamObserver<LogoutResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          accounts.signOut(actor());
          return LogoutResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }

  @Override
  public void whoAmI(WhoAmIRequest request, StreamObserver<WhoAmIResponse> responses) {
    Calls.unary(responses, () -> ProtoMapper.whoAmI(actor()));
  }

  @Override
  public void changePassword(
      ChangePasswordRequest request, StreamObserver<ChangePasswordResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          accounts.changePassword(
              actor(),
              request.getCurrentPassword().toCharArray(),
              request.getPassword().toCharArray());
          return ChangePasswordResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }
}
