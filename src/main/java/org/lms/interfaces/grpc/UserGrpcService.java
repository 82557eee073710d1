package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.List;
import org.lms.application.account.AccountService;
import org.lms.application.account.AccountService.BatchOutcome;
import org.lms.application.account.AccountService.NewUser;
import org.lms.application.port.CommandGateway;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.CreateUserResponse;
import org.lms.interfaces.grpc.v1.CreateUserResult;
import org.lms.interfaces.grpc.v1.CreateUsersRequest;
import org.lms.interfaces.grpc.v1.CreateUsersResponse;
import org.lms.interfaces.grpc.v1.ListUsersRequest;
import org.lms.interfaces.grpc.v1.ListUsersResponse;
import org.lms.interfaces.grpc.v1.ResetPasswordRequest;
import org.lms.interfaces.grpc.v1.ResetPasswordResponse;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SetUserDisabledRequest;
import org.lms.interfaces.grpc.v1.SetUserDisabledResponse;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;

/** lms.v1.UserService over {@link AccountService}. */
final class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {
  private final AccountService accounts;
  private final CommandGateway gateway;
  private final ReadBarrier reads;

  UserGrpcService(AccountService accounts, CommandGateway gateway, ReadBarrier reads) {
    this.accounts = accounts;
    this.gateway = gateway;
    this.reads = reads;
  }

  @Override
  public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          NewUser u = newUser(request);
          var user =
              accounts.createUser(actor(), u.username(), u.displayName(), u.role(), u.password());
          return CreateUserResponse.newBuilder()
              .setUser(ProtoMapper.user(user))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void createUsers(
      CreateUsersRequest request, StreamObserver<CreateUsersResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          List<NewUser> users = request.getUsersList().stream().map(this::newUserOrNull).toList();
          List<BatchOutcome> outcomes = accounts.createUsers(actor(), users);
          var response = CreateUsersResponse.newBuilder();
          for (int i = 0; i < outcomes.size(); i++) {
            BatchOutcome outcome = outcomes.get(i);
            var result = CreateUserResult.newBuilder().setIndex(i);
            if (outcome.created()) {
              result.setUser(ProtoMapper.user(outcome.user()));
            } else {
              result.setError(ErrorMapper.toRpcStatus(outcome.failure()));
            }
            response.addResults(result);
          }
          return response.setLogIndex(gateway.appliedIndex()).build();
        });
  }

  @Override
  public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          reads.await(request.getReadOptions());
          Role role = request.getRole();
          var wanted =
              role == Role.ROLE_UNSPECIFIED ? null : ProtoMapper.role("role", request.getRole());
          var users =
              accounts.listUsers(actor()).stream()
                  .filter(u -> wanted == null || u.role() == wanted)
                  .sorted(Comparator.comparing(org.lms.domain.model.User::username))
                  .toList();
          var page =
              Pages.of(
                  users, request.getPageSize(), request.getPageToken(), "ListUsers", role.name());
          return ListUsersResponse.newBuilder()
              .addAllUsers(page.items().stream().map(ProtoMapper::user).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void setUserDisabled(
      SetUserDisabledRequest request, StreamObserver<SetUserDisabledResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          accounts.setDisabled(
              actor(), ProtoMapper.id("user_id", request.getUserId()), request.getDisabled());
          return SetUserDisabledResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }

  @Override
  public void resetPassword(
      ResetPasswordRequest request, StreamObserver<ResetPasswordResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          accounts.resetPassword(
              actor(),
              ProtoMapper.id("user_id", request.getUserId()),
              request.getPassword().toCharArray());
          return ResetPasswordResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }

  private static NewUser newUser(CreateUserRequest r) {
    return new NewUser(
        r.getUsername(),
        r.getDisplayName(),
        ProtoMapper.role("role", r.getRole()),
        r.getPassword().toCharArray());
  }

  /** In a batch an unparseable role is left to the use case, which refuses that account alone. */
  private NewUser newUserOrNull(CreateUserRequest r) {
    var role =
        switch (r.getRole()) {
          case ROLE_UNSPECIFIED, UNRECOGNIZED -> null;
          default -> ProtoMapper.role("role", r.getRole());
        };
    return new NewUser(r.getUsername(), r.getDisplayName(), role, r.getPassword().toCharArray());
  }
}
