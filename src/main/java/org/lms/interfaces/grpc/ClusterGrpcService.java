package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import com.google.protobuf.Duration;
import io.grpc.stub.StreamObserver;
import org.lms.application.port.ClusterStatus;
import org.lms.interfaces.grpc.v1.ClusterServiceGrpc;
import org.lms.interfaces.grpc.v1.GetStatusRequest;
import org.lms.interfaces.grpc.v1.GetStatusResponse;
import org.lms.interfaces.grpc.v1.NodeStatus;

/** lms.v1.ClusterService over the {@link ClusterStatus} port. */
final class ClusterGrpcService extends ClusterServiceGrpc.ClusterServiceImplBase {
  private final ClusterStatus cluster;

  ClusterGrpcService(ClusterStatus cluster) {
    this.cluster = cluster;
  }

  @Override
  public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          actor(); // signed-in users only: the interceptor has checked, this documents it
          var group = cluster.group();
          var local = group.get(0);
          var response =
              GetStatusResponse.newBuilder()
                  .setNodeId(local.nodeId())
                  .setLeaderId(local.leaderId().orElse(""));
          for (ClusterStatus.NodeStatus node : group) {
            response.addNodes(node(node));
          }
          return response.build();
        });
  }

  private static NodeStatus node(ClusterStatus.NodeStatus s) {
    var b =
        NodeStatus.newBuilder()
            .setNodeId(s.nodeId())
            .setRole(s.role())
            .setTerm(s.term())
            .setCommitIndex(s.commitIndex())
            .setAppliedIndex(s.appliedIndex())
            .setReady(s.ready());
    s.lastContact()
        .ifPresent(
            d ->
                b.setLastContact(
                    Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano())));
    return b.build();
  }
}
