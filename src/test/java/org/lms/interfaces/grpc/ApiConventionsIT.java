package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.DEADLINE_EXCEEDED;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.Consistency;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc.CourseServiceBlockingStub;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.ListMyCoursesRequest;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.testing.GrpcFixture;

/**
 * What every service shares: health and reflection without a token, malformed bytes refused as
 * INVALID_ARGUMENT, read options honoured.
 */
@Timeout(60)
@ExtendWith(GrpcFixture.Shared.class)
class ApiConventionsIT {
  private static GrpcFixture api;
  private static CourseServiceBlockingStub admin;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
    admin = GrpcFixture.as(api.adminToken(), CourseServiceGrpc.newBlockingStub(api.channel()));
  }

  @Test
  void healthServesWithAQuorumAndNeedsNoToken() {
    var health = HealthGrpc.newBlockingStub(api.channel());

    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(
            health
                .check(HealthCheckRequest.newBuilder().setService("lms.v1.CourseService").build())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
    failsWith(
        NOT_FOUND,
        () -> health.check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
  }

  @Test
  void reflectionListsEveryServiceAndNeedsNoToken() throws Exception {
    var answer = new CompletableFuture<ServerReflectionResponse>();
    var requests =
        ServerReflectionGrpc.newStub(api.channel())
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());

    var services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList();
    requests.onCompleted();

    assertThat(services.stream().map(ServiceResponse::getName))
        .contains(
            "lms.v1.AuthService",
            "lms.v1.UserService",
            "lms.v1.CourseService",
            "lms.v1.MaterialService",
            "lms.v1.AssignmentService",
            "lms.v1.SubmissionService",
            "lms.v1.GradingService",
            "lms.v1.QuestionService",
            "lms.v1.ClusterService",
            "grpc.health.v1.Health");
  }

  @Test
  void malformedRequestBytesAreInvalidNotInternal() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    byte[] badUtf8 = {0x0a, 0x02, (byte) 0xc3, 0x28}; // username = invalid UTF-8
    byte[] truncated = {0x0a, 0x10, 'a', 'b'}; // username says 16 bytes, has 2

    for (byte[] bytes : List.of(garbage, badUtf8, truncated)) {
      var e = failsWith(INVALID_ARGUMENT, () -> rawCall("lms.v1.AuthService/Login", bytes));
      assertThat(e.getStatus().getDescription()).contains("lms.v1.AuthService/Login");
    }
    failsWith(INVALID_ARGUMENT, () -> rawCall("lms.v1.CourseService/ListMyCourses", garbage));
  }

  @Test
  void readOptionsAreChecked() {
    invalid(
        "read_options.min_index",
        () -> admin.listMyCourses(listMine(ReadOptions.newBuilder().setMinIndex(-1))));
    invalid(
        "read_options.consistency",
        () -> admin.listMyCourses(listMine(ReadOptions.newBuilder().setConsistencyValue(7))));
  }

  @Test
  void aLinearizableReadSeesTheLatestWrite() {
    String code = GrpcFixture.unique("LIN");
    admin.createCourse(CreateCourseRequest.newBuilder().setCode(code).setTitle("t").build());

    var courses =
        admin.listMyCourses(
            listMine(ReadOptions.newBuilder().setConsistency(Consistency.CONSISTENCY_LINEARIZABLE))
                .toBuilder()
                .setPageSize(500)
                .build());

    assertThat(courses.getCoursesList()).anyMatch(c -> c.getCode().equals(code));
  }

  @Test
  void aReadThatCannotCatchUpEndsRetryablyOrAtItsDeadline() {
    long future = api.cluster().raft().gateway(api.apiPeer()).appliedIndex() + 1_000_000;
    var request = listMine(ReadOptions.newBuilder().setMinIndex(future));

    failsWith(
        DEADLINE_EXCEEDED,
        () -> admin.withDeadlineAfter(300, TimeUnit.MILLISECONDS).listMyCourses(request));
    var e = failsWith(UNAVAILABLE, () -> admin.listMyCourses(request));
    assertThat(e.getStatus().getDescription()).contains("retry");
  }

  private static ListMyCoursesRequest listMine(ReadOptions.Builder options) {
    return ListMyCoursesRequest.newBuilder().setReadOptions(options).build();
  }

  private static byte[] rawCall(String fullMethodName, byte[] request) {
    var method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(fullMethodName)
            .setRequestMarshaller(RequestGuard.RawBytes.INSTANCE)
            .setResponseMarshaller(RequestGuard.RawBytes.INSTANCE)
            .build();
    return ClientCalls.blockingUnaryCall(
        GrpcFixture.as(api.adminToken(), AuthServiceGrpc.newBlockingStub(api.channel()))
            .getChannel(),
        method,
        CallOptions.DEFAULT,
        request);
  }
}
