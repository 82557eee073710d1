package org.lms.interfaces.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.testing.GrpcFixture;

/**
 * Properties of every rpc of the API at once, found through the generated service descriptors so
 * that a new rpc is covered without being listed: none answers without a token (but Login), and
 * none answers an empty or random request with INTERNAL or UNKNOWN; nor do the standard health and
 * reflection services.
 */
@Timeout(300)
@ExtendWith(GrpcFixture.Shared.class)
class EveryRpcIT {
  private static GrpcFixture api;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
  }

  @Test
  void everyRpcButLoginNeedsAValidToken() {
    var methods = ApiServices.methods(ApiServices.LMS);
    assertThat(methods).hasSizeGreaterThan(40);
    for (MethodDescriptor<?, ?> method : methods) {
      if (method.getFullMethodName().equals("lms.v1.AuthService/Login")) {
        continue;
      }
      assertThat(call(method, null, new byte[0]).getCode())
          .as(method.getFullMethodName() + " without a token")
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(call(method, "made-up-token", new byte[0]).getCode())
          .as(method.getFullMethodName() + " with a made-up token")
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void noRpcAnswersEmptyOrRandomBytesWithInternalOrUnknown() {
    Random random = new Random(20251001);
    for (MethodDescriptor<?, ?> method : ApiServices.methods(ApiServices.LMS)) {
      // a token per rpc: Logout and ChangePassword may end it
      String token = api.login(GrpcFixture.ADMIN, GrpcFixture.ADMIN_PASSWORD);
      List<byte[]> requests = new ArrayList<>();
      requests.add(new byte[0]);
      for (int i = 0; i < 5; i++) {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        requests.add(bytes);
      }
      for (byte[] request : requests) {
        Status status = call(method, token, request);
        assertThat(status.getCode())
            .as(method.getFullMethodName() + ": " + status)
            .isNotIn(Status.Code.INTERNAL, Status.Code.UNKNOWN);
      }
    }
  }

  @Test
  @SuppressWarnings("deprecation") // v1alpha reflection is served for older tools
  void theStandardServicesAnswerBytesThatAreNoMessageWithInvalidArgument() {
    // field 1 (a string in both request types) holding invalid UTF-8: grpc-java's own parsing
    // answered UNKNOWN; the request guard in front of them answers INVALID_ARGUMENT
    byte[] invalidUtf8 = {0x0A, 0x02, (byte) 0xC3, 0x28};
    for (MethodDescriptor<?, ?> method :
        List.of(
            HealthGrpc.getCheckMethod(),
            io.grpc.reflection.v1.ServerReflectionGrpc.getServerReflectionInfoMethod(),
            io.grpc.reflection.v1alpha.ServerReflectionGrpc.getServerReflectionInfoMethod())) {
      assertThat(call(method, null, invalidUtf8).getCode())
          .as(method.getFullMethodName())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  /** Calls {@code method} with one raw request message and returns the status it ends with. */
  private static Status call(MethodDescriptor<?, ?> method, String token, byte[] request) {
    String authorization = token == null ? null : "Bearer " + token;
    return FuzzCase.oneMessage(method, authorization, request, 3_000).send(api.channel()).status();
  }
}
