package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.ALREADY_EXISTS;
import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;
import static org.lms.interfaces.grpc.GrpcAssertions.reason;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.CreateUsersRequest;
import org.lms.interfaces.grpc.v1.ListUsersRequest;
import org.lms.interfaces.grpc.v1.ListUsersResponse;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.ResetPasswordRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SetUserDisabledRequest;
import org.lms.interfaces.grpc.v1.User;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.interfaces.grpc.v1.UserServiceGrpc.UserServiceBlockingStub;
import org.lms.interfaces.grpc.v1.WhoAmIRequest;
import org.lms.testing.GrpcFixture;

/** lms.v1.UserService against a real three-peer cluster. */
@Timeout(120)
@ExtendWith(GrpcFixture.Shared.class)
class UserServiceIT {
  private static GrpcFixture api;
  private static UserServiceBlockingStub anonymous;
  private static UserServiceBlockingStub admin;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
    anonymous = UserServiceGrpc.newBlockingStub(api.channel());
    admin = GrpcFixture.as(api.adminToken(), anonymous);
  }

  @Test
  void anAdministratorCreatesAUserWhoCanSignIn() {
    String username = GrpcFixture.unique("ada");

    var created = admin.createUser(newUser(username, Role.ROLE_INSTRUCTOR));

    assertThat(created.getUser().getUsername()).isEqualTo(username);
    assertThat(created.getUser().getRole()).isEqualTo(Role.ROLE_INSTRUCTOR);
    assertThat(created.getUser().getDisplayName()).isEqualTo("Name of " + username);
    assertThat(created.getUser().getDisabled()).isFalse();
    assertThat(created.getUser().hasCreatedAt()).isTrue();
    assertThat(created.getLogIndex()).isPositive();
    assertThat(api.login(username, "password-" + username)).isNotBlank();
  }

  @Test
  void onlyAdministratorsCreateUsers() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);

    failsWith(UNAUTHENTICATED, () -> anonymous.createUser(newUser("someone", Role.ROLE_STUDENT)));
    var denied =
        failsWith(
            PERMISSION_DENIED,
            () ->
                instructor
                    .stub(anonymous)
                    .createUser(newUser(GrpcFixture.unique("x"), Role.ROLE_STUDENT)));
    assertThat(reason(denied)).isEqualTo("ACTOR_NOT_PERMITTED");
  }

  @Test
  void malformedUsersAreInvalidAndNameTheField() {
    invalid("username", () -> admin.createUser(newUser("A!", Role.ROLE_STUDENT)));
    invalid(
        "role", () -> admin.createUser(newUser(GrpcFixture.unique("r"), Role.ROLE_UNSPECIFIED)));
    invalid(
        "password",
        () ->
            admin.createUser(
                newUser(GrpcFixture.unique("p"), Role.ROLE_STUDENT).toBuilder()
                    .setPassword("short")
                    .build()));
    invalid(
        "display_name",
        () ->
            admin.createUser(
                newUser(GrpcFixture.unique("d"), Role.ROLE_STUDENT).toBuilder()
                    .setDisplayName(" ")
                    .build()));
  }

  @Test
  void aTakenUsernameAlreadyExists() {
    String username = GrpcFixture.unique("twin");
    admin.createUser(newUser(username, Role.ROLE_STUDENT));

    var e = failsWith(ALREADY_EXISTS, () -> admin.createUser(newUser(username, Role.ROLE_STUDENT)));
    assertThat(reason(e)).isEqualTo("DUPLICATE_USERNAME");
  }

  @Test
  void createUsersReportsEachAccountOnItsOwn() {
    String taken = GrpcFixture.unique("taken");
    admin.createUser(newUser(taken, Role.ROLE_STUDENT));
    String first = GrpcFixture.unique("first");
    String last = GrpcFixture.unique("last");

    var response =
        admin.createUsers(
            CreateUsersRequest.newBuilder()
                .addUsers(newUser(first, Role.ROLE_STUDENT))
                .addUsers(newUser(taken, Role.ROLE_STUDENT))
                .addUsers(newUser(GrpcFixture.unique("norole"), Role.ROLE_UNSPECIFIED))
                .addUsers(newUser(last, Role.ROLE_INSTRUCTOR))
                .build());

    var results = response.getResultsList();
    assertThat(results).hasSize(4);
    assertThat(results.get(0).getUser().getUsername()).isEqualTo(first);
    assertThat(results.get(1).getError().getCode()).isEqualTo(ALREADY_EXISTS.value());
    assertThat(results.get(2).getError().getCode()).isEqualTo(INVALID_ARGUMENT.value());
    assertThat(results.get(2).getError().getMessage()).startsWith("role: ");
    assertThat(results.get(3).getUser().getRole()).isEqualTo(Role.ROLE_INSTRUCTOR);
    assertThat(results.stream().map(r -> r.getIndex()).toList()).containsExactly(0, 1, 2, 3);
    var listed =
        allUsers(ListUsersRequest.newBuilder().setReadOptions(atLeast(response.getLogIndex())));
    assertThat(listed.stream().map(User::getUsername)).contains(first, last);
  }

  @Test
  void createUsersIsForAdministratorsAndNeedsAccounts() {
    var student = api.newAccount(Role.ROLE_STUDENT);

    failsWith(
        PERMISSION_DENIED,
        () ->
            student
                .stub(anonymous)
                .createUsers(
                    CreateUsersRequest.newBuilder()
                        .addUsers(newUser(GrpcFixture.unique("s"), Role.ROLE_STUDENT))
                        .build()));
    invalid("users", () -> admin.createUsers(CreateUsersRequest.getDefaultInstance()));
    failsWith(
        UNAUTHENTICATED, () -> anonymous.createUsers(CreateUsersRequest.getDefaultInstance()));
  }

  @Test
  void listUsersPagesThroughEveryUserInUsernameOrder() {
    for (int i = 0; i < 3; i++) {
      api.newAccount(Role.ROLE_INSTRUCTOR);
    }
    var all = allUsers(ListUsersRequest.newBuilder());

    var pages = new ArrayList<User>();
    String token = "";
    int calls = 0;
    do {
      ListUsersResponse page =
          admin.listUsers(ListUsersRequest.newBuilder().setPageSize(2).setPageToken(token).build());
      assertThat(page.getUsersCount()).isLessThanOrEqualTo(2);
      pages.addAll(page.getUsersList());
      token = page.getNextPageToken();
      calls++;
    } while (!token.isEmpty() && calls < 1000);

    assertThat(pages).containsExactlyElementsOf(all);
    assertThat(all.stream().map(User::getUsername).toList()).isSorted();
    var instructors = allUsers(ListUsersRequest.newBuilder().setRole(Role.ROLE_INSTRUCTOR));
    assertThat(instructors).isNotEmpty().allMatch(u -> u.getRole() == Role.ROLE_INSTRUCTOR);
  }

  @Test
  void badPagingIsInvalid() {
    invalid(
        "page_size", () -> admin.listUsers(ListUsersRequest.newBuilder().setPageSize(-1).build()));
    invalid(
        "page_token",
        () -> admin.listUsers(ListUsersRequest.newBuilder().setPageToken("not a token!").build()));
    api.newAccount(Role.ROLE_STUDENT);
    api.newAccount(Role.ROLE_STUDENT);
    String studentsToken =
        admin
            .listUsers(
                ListUsersRequest.newBuilder().setRole(Role.ROLE_STUDENT).setPageSize(1).build())
            .getNextPageToken();
    assertThat(studentsToken).isNotEmpty();
    invalid(
        "page_token",
        () -> admin.listUsers(ListUsersRequest.newBuilder().setPageToken(studentsToken).build()));
  }

  @Test
  void listUsersIsForAdministrators() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    failsWith(UNAUTHENTICATED, () -> anonymous.listUsers(ListUsersRequest.getDefaultInstance()));
    failsWith(
        PERMISSION_DENIED,
        () -> instructor.stub(anonymous).listUsers(ListUsersRequest.getDefaultInstance()));
  }

  @Test
  void aDisabledUserLosesTheSessionAndCannotSignIn() {
    var student = api.newAccount(Role.ROLE_STUDENT);
    var whoAmI = student.stub(AuthServiceGrpc.newBlockingStub(api.channel()));

    admin.setUserDisabled(disable(student.id(), true));

    failsWith(UNAUTHENTICATED, () -> whoAmI.whoAmI(WhoAmIRequest.getDefaultInstance()));
    failsWith(UNAUTHENTICATED, () -> api.login(student.username(), student.password()));
    admin.setUserDisabled(disable(student.id(), false));
    assertThat(api.login(student.username(), student.password())).isNotBlank();
  }

  @Test
  void setUserDisabledRejections() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    String adminId =
        GrpcFixture.as(api.adminToken(), AuthServiceGrpc.newBlockingStub(api.channel()))
            .whoAmI(WhoAmIRequest.getDefaultInstance())
            .getUserId();

    failsWith(UNAUTHENTICATED, () -> anonymous.setUserDisabled(disable(instructor.id(), true)));
    failsWith(
        PERMISSION_DENIED,
        () -> instructor.stub(anonymous).setUserDisabled(disable(instructor.id(), true)));
    invalid("user_id", () -> admin.setUserDisabled(disable("", true)));
    invalid("user_id", () -> admin.setUserDisabled(disable("no/such id", true)));
    failsWith(NOT_FOUND, () -> admin.setUserDisabled(disable("no-such-user", true)));
    var self = failsWith(FAILED_PRECONDITION, () -> admin.setUserDisabled(disable(adminId, true)));
    assertThat(reason(self)).isEqualTo("CANNOT_DISABLE_SELF");
  }

  @Test
  void resetPasswordReplacesThePasswordAndEndsSessions() {
    var student = api.newAccount(Role.ROLE_STUDENT);
    var whoAmI = student.stub(AuthServiceGrpc.newBlockingStub(api.channel()));

    admin.resetPassword(reset(student.id(), "a-brand-new-password"));

    failsWith(UNAUTHENTICATED, () -> whoAmI.whoAmI(WhoAmIRequest.getDefaultInstance()));
    failsWith(UNAUTHENTICATED, () -> api.login(student.username(), student.password()));
    assertThat(api.login(student.username(), "a-brand-new-password")).isNotBlank();
  }

  @Test
  void resetPasswordRejections() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);

    failsWith(
        UNAUTHENTICATED, () -> anonymous.resetPassword(reset(instructor.id(), "x".repeat(12))));
    failsWith(
        PERMISSION_DENIED,
        () -> instructor.stub(anonymous).resetPassword(reset(instructor.id(), "x".repeat(12))));
    invalid("password", () -> admin.resetPassword(reset(instructor.id(), "short")));
    invalid("user_id", () -> admin.resetPassword(reset("", "x".repeat(12))));
    failsWith(NOT_FOUND, () -> admin.resetPassword(reset("no-such-user", "x".repeat(12))));
    failsWith(
        UNAUTHENTICATED,
        () ->
            AuthServiceGrpc.newBlockingStub(api.channel())
                .login(
                    LoginRequest.newBuilder()
                        .setUsername(instructor.username())
                        .setPassword("x".repeat(12))
                        .build()));
  }

  private static List<User> allUsers(ListUsersRequest.Builder request) {
    var users = new ArrayList<User>();
    String token = "";
    do {
      var page = admin.listUsers(request.setPageSize(500).setPageToken(token).build());
      users.addAll(page.getUsersList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return users;
  }

  static CreateUserRequest newUser(String username, Role role) {
    return CreateUserRequest.newBuilder()
        .setUsername(username)
        .setDisplayName("Name of " + username)
        .setRole(role)
        .setPassword("password-" + username)
        .build();
  }

  private static ReadOptions atLeast(long index) {
    return ReadOptions.newBuilder().setMinIndex(index).build();
  }

  private static SetUserDisabledRequest disable(String userId, boolean disabled) {
    return SetUserDisabledRequest.newBuilder().setUserId(userId).setDisabled(disabled).build();
  }

  private static ResetPasswordRequest reset(String userId, String password) {
    return ResetPasswordRequest.newBuilder().setUserId(userId).setPassword(password).build();
  }
}
