package org.lms.interfaces.grpc;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lms.application.LmsApplication;
import org.lms.application.port.ClusterStatus;
import org.lms.application.port.CommandGateway;

/**
 * The public gRPC API of one node (package lms.v1), ready to add to its gRPC server: every LMS
 * service behind the bearer-token interceptor and the {@link RequestGuard}, plus the standard
 * health service (SERVING only with a quorum) and server reflection (v1 and v1alpha), which need no
 * token but have the guard too. Close it when the server stops: it ends the health poller.
 *
 * <pre>{@code
 * var api = new LmsGrpcServices(app, gateway, clusterStatus, dataDir.resolve("upload-spool"));
 * var builder = NodeGrpcServer.builder(host, port)
 *     .maxInboundMessageSize(LmsGrpcServices.MAX_INBOUND_MESSAGE_BYTES);
 * api.services().forEach(builder::addService);
 * }</pre>
 */
public final class LmsGrpcServices implements AutoCloseable {

  /** The largest request message the API is designed for (upload chunks up to 1 MiB fit). */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final List<BindableService> lmsServices;
  private final BearerTokenInterceptor authentication;
  private final QuorumHealth health;

  /**
   * @param app this node's use cases
   * @param gateway this node's command gateway: read barriers and the log index of writes
   * @param cluster this node's Raft status: ClusterService and the health service
   * @param spoolDir where uploads wait for their last byte; files a previous run left there are
   *     deleted now
   */
  public LmsGrpcServices(
      LmsApplication app, CommandGateway gateway, ClusterStatus cluster, Path spoolDir) {
    try {
      UploadSpool.deleteLeftovers(spoolDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the upload spool " + spoolDir, e);
    }
    var reads = new ReadBarrier(gateway);
    long maxUpload = app.maxUploadBytes();
    this.authentication = new BearerTokenInterceptor(app.accounts());
    this.lmsServices =
        List.of(
            new AuthGrpcService(app.accounts(), gateway),
            new UserGrpcService(app.accounts(), gateway, reads),
            new CourseGrpcService(app.courses(), app.assistant(), gateway, reads),
            new MaterialGrpcService(app.courses(), gateway, reads, spoolDir, maxUpload),
            new AssignmentGrpcService(app.assignments(), gateway, reads),
            new SubmissionGrpcService(app.assignments(), gateway, reads, spoolDir, maxUpload),
            new GradingGrpcService(app.grading(), app.assistant(), gateway, reads),
            new QuestionGrpcService(app.questions(), app.assistant(), gateway, reads),
            new ClusterGrpcService(cluster));
    this.health =
        new QuorumHealth(
            cluster,
            lmsServices.stream()
                .map(s -> s.bindService().getServiceDescriptor().getName())
                .toList());
  }

  /** Every service definition to add to the node's gRPC server, already intercepted. */
  @SuppressWarnings("deprecation") // v1alpha reflection: older grpcurl and other tools still use it
  public List<ServerServiceDefinition> services() {
    List<ServerServiceDefinition> all = new ArrayList<>();
    for (BindableService service : lmsServices) {
      all.add(RequestGuard.guard(ServerInterceptors.intercept(service, authentication)));
    }
    // the standard services are as open to malformed requests as ours: the same guard, no token
    all.add(RequestGuard.guard(health.service().bindService()));
    all.add(RequestGuard.guard(ProtoReflectionServiceV1.newInstance().bindService()));
    all.add(RequestGuard.guard(ProtoReflectionService.newInstance().bindService()));
    return all;
  }

  /** Stops the health poller; the health service answers NOT_SERVING from now on. */
  @Override
  public void close() {
    health.close();
  }
}
