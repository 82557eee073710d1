package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.RESOURCE_EXHAUSTED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;
import static org.lms.interfaces.grpc.GrpcAssertions.reason;

import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc.AuthServiceBlockingStub;
import org.lms.interfaces.grpc.v1.ChangePasswordRequest;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.LogoutRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.interfaces.grpc.v1.WhoAmIRequest;
import org.lms.testing.GrpcFixture;

/** lms.v1.AuthService against a real three-peer cluster. */
@Timeout(120)
@ExtendWith(GrpcFixture.Shared.class)
class AuthServiceIT {
  private static GrpcFixture api;
  private static AuthServiceBlockingStub anonymous;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
    anonymous = AuthServiceGrpc.newBlockingStub(api.channel());
  }

  @Test
  void loginOpensASessionThatWhoAmIRecognises() {
    var student = api.newAccount(Role.ROLE_STUDENT);

    var login =
        anonymous.login(
            LoginRequest.newBuilder()
                .setUsername(student.username().toUpperCase())
                .setPassword(student.password())
                .build());

    assertThat(login.getToken()).isNotBlank();
    assertThat(login.getUser().getUserId()).isEqualTo(student.id());
    assertThat(login.getUser().getRole()).isEqualTo(Role.ROLE_STUDENT);
    assertThat(Instant.ofEpochSecond(login.getExpiresAt().getSeconds())).isAfter(Instant.now());
    assertThat(login.getLogIndex()).isPositive();
    var me = GrpcFixture.as(login.getToken(), anonymous).whoAmI(WhoAmIRequest.getDefaultInstance());
    assertThat(me.getUsername()).isEqualTo(student.username());
    assertThat(me.getUserId()).isEqualTo(student.id());
  }

  @Test
  void wrongCredentialsAreUnauthenticated() {
    var student = api.newAccount(Role.ROLE_STUDENT);

    failsWith(UNAUTHENTICATED, () -> anonymous.login(login(student.username(), "wrong-password")));
    failsWith(UNAUTHENTICATED, () -> anonymous.login(login(GrpcFixture.unique("nobody"), "x")));
  }

  @Test
  void aMissingUsernameIsInvalid() {
    invalid("username", () -> anonymous.login(login("", "some-password")));
    invalid("password", () -> anonymous.login(login("someone", "")));
  }

  @Test
  void repeatedFailuresAreThrottledWithARetryDelay() {
    String name = GrpcFixture.unique("guessed");
    for (int i = 0; i < 5; i++) {
      failsWith(UNAUTHENTICATED, () -> anonymous.login(login(name, "guess-" + System.nanoTime())));
    }

    var throttled =
        failsWith(RESOURCE_EXHAUSTED, () -> anonymous.login(login(name, "one-more-guess")));

    assertThat(reason(throttled)).isEqualTo("TOO_MANY_ATTEMPTS");
    var details = StatusProto.fromThrowable(throttled).getDetailsList();
    assertThat(details.stream().anyMatch(d -> d.is(RetryInfo.class))).isTrue();
  }

  @Test
  void callsWithoutAValidBearerTokenAreUnauthenticated() {
    failsWith(UNAUTHENTICATED, () -> anonymous.whoAmI(WhoAmIRequest.getDefaultInstance()));
    failsWith(
        UNAUTHENTICATED,
        () ->
            GrpcFixture.as("no-such-token", anonymous).whoAmI(WhoAmIRequest.getDefaultInstance()));
    Metadata basic = new Metadata();
    basic.put(BearerTokenInterceptor.AUTHORIZATION, "Basic " + api.adminToken());
    failsWith(
        UNAUTHENTICATED,
        () ->
            anonymous
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(basic))
                .whoAmI(WhoAmIRequest.getDefaultInstance()));
    failsWith(UNAUTHENTICATED, () -> anonymous.logout(LogoutRequest.getDefaultInstance()));
  }

  @Test
  void logoutEndsTheSession() {
    var student = api.newAccount(Role.ROLE_STUDENT);
    var asStudent = student.stub(anonymous);

    assertThat(asStudent.logout(LogoutRequest.getDefaultInstance()).getLogIndex()).isPositive();

    failsWith(UNAUTHENTICATED, () -> asStudent.whoAmI(WhoAmIRequest.getDefaultInstance()));
  }

  @Test
  void changePasswordNeedsTheCurrentOneAndEndsOtherSessions() {
    var student = api.newAccount(Role.ROLE_STUDENT);
    String otherSession = api.login(student.username(), student.password());
    var asStudent = student.stub(anonymous);

    invalid(
        "current_password",
        () -> asStudent.changePassword(change("not-the-password", "new-password-123")));
    invalid("password", () -> asStudent.changePassword(change(student.password(), "short")));
    asStudent.changePassword(change(student.password(), "new-password-123"));

    assertThat(asStudent.whoAmI(WhoAmIRequest.getDefaultInstance()).getUserId())
        .isEqualTo(student.id());
    failsWith(
        UNAUTHENTICATED,
        () -> GrpcFixture.as(otherSession, anonymous).whoAmI(WhoAmIRequest.getDefaultInstance()));
    failsWith(
        UNAUTHENTICATED, () -> anonymous.login(login(student.username(), student.password())));
    assertThat(anonymous.login(login(student.username(), "new-password-123")).getToken())
        .isNotBlank();
  }

  @Test
  void aStudentTokenDoesNotOpenAdministration() {
    var student = api.newAccount(Role.ROLE_STUDENT);

    failsWith(
        PERMISSION_DENIED,
        () ->
            student
                .stub(UserServiceGrpc.newBlockingStub(api.channel()))
                .listUsers(org.lms.interfaces.grpc.v1.ListUsersRequest.getDefaultInstance()));
  }

  private static LoginRequest login(String username, String password) {
    return LoginRequest.newBuilder().setUsername(username).setPassword(password).build();
  }

  private static ChangePasswordRequest change(String current, String replacement) {
    return ChangePasswordRequest.newBuilder()
        .setCurrentPassword(current)
        .setPassword(replacement)
        .build();
  }
}
