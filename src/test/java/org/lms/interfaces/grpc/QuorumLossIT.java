package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.interfaces.grpc.v1.Consistency;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.ListMyCoursesRequest;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.GrpcFixture;

/**
 * A node that loses its quorum: the health service turns NOT_SERVING, writes and linearizable reads
 * end UNAVAILABLE (retryable), and plain reads of the node's own copy still answer.
 */
@Timeout(120)
class QuorumLossIT {

  @Test
  void withoutAQuorumTheNodeSaysSoAndRefusesWritesRetryably() throws Exception {
    try (GrpcFixture api = GrpcFixture.start()) {
      var health = HealthGrpc.newBlockingStub(api.channel());
      var admin =
          GrpcFixture.as(api.adminToken(), CourseServiceGrpc.newBlockingStub(api.channel()));
      String code = GrpcFixture.unique("Q");
      admin.createCourse(CreateCourseRequest.newBuilder().setCode(code).setTitle("t").build());
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);

      for (int i = 0; i < api.cluster().raft().size(); i++) {
        if (i != api.apiPeer()) {
          api.cluster().raft().kill(i);
        }
      }

      ClusterProcesses.await(
          Duration.ofSeconds(30),
          "health NOT_SERVING",
          () ->
              health.check(HealthCheckRequest.getDefaultInstance()).getStatus()
                  == ServingStatus.NOT_SERVING);
      var write =
          failsWith(
              UNAVAILABLE,
              () ->
                  admin.createCourse(
                      CreateCourseRequest.newBuilder()
                          .setCode(GrpcFixture.unique("Q"))
                          .setTitle("t")
                          .build()));
      assertThat(write.getStatus().getDescription()).contains("retry");
      failsWith(
          UNAVAILABLE,
          () ->
              admin.listMyCourses(
                  ListMyCoursesRequest.newBuilder()
                      .setReadOptions(
                          ReadOptions.newBuilder()
                              .setConsistency(Consistency.CONSISTENCY_LINEARIZABLE))
                      .build()));
      var local = admin.listMyCourses(ListMyCoursesRequest.newBuilder().setPageSize(500).build());
      assertThat(local.getCoursesList()).anyMatch(c -> c.getCode().equals(code));
    }
  }
}
