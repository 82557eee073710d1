package org.lms.infrastructure.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The node's one gRPC server (grpc-netty-shaded): it hosts the internal blob replication service
 * and, later, the public API. Each service brings its own authentication: wrap an internal service
 * with {@link ClusterSecretInterceptor} via {@code ServerInterceptors.intercept} before adding it;
 * interceptors given to {@link Builder#addInterceptor} apply to every service.
 */
public final class NodeGrpcServer {

  /**
   * The default largest inbound message, here and on the channels to the peers: ample for 64 KiB
   * blob chunks and API requests.
   */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(NodeGrpcServer.class.getName());
  private static final long GRACE_SECONDS = 5;

  private final Server server;
  private final String host;

  private NodeGrpcServer(Builder builder) {
    this.host = builder.host;
    NettyServerBuilder netty =
        NettyServerBuilder.forAddress(new InetSocketAddress(builder.host, builder.port))
            .maxInboundMessageSize(builder.maxInboundMessageBytes);
    builder.services.forEach(netty::addService);
    builder.interceptors.forEach(netty::intercept);
    this.server = netty.build();
  }

  /** Starts building a server bound to {@code host} on {@code port} (0 picks a free port). */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** Binds the port and starts serving. */
  public NodeGrpcServer start() throws IOException {
    server.start();
    LOG.info(() -> "gRPC server listening on " + host + ":" + port());
    return this;
  }

  /** The port the server listens on (the chosen one when built with 0); only after start. */
  public int port() {
    return server.getPort();
  }

  /**
   * Stops accepting calls, gives the calls in flight a few seconds to finish, then cancels them.
   */
  public void stop() {
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info(() -> "gRPC server on " + host + " stopped");
  }

  /** Collects the services and settings of a {@link NodeGrpcServer}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private int maxInboundMessageBytes = DEFAULT_MAX_INBOUND_MESSAGE_BYTES;

    private Builder(String host, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("not a port: " + port);
      }
      this.host = host;
      this.port = port;
    }

    /**
     * Adds a service, behind the given interceptors (which see its calls only), e.g. {@code
     * addService(blobReplication, new ClusterSecretInterceptor(secret))} for an internal service.
     * With no interceptors the service must authenticate its callers itself.
     */
    public Builder addService(BindableService service, ServerInterceptor... interceptors) {
      services.add(ServerInterceptors.intercept(service, interceptors));
      return this;
    }

    /** Adds a service definition, e.g. one wrapped by {@code ServerInterceptors.intercept}. */
    public Builder addService(ServerServiceDefinition service) {
      services.add(service);
      return this;
    }

    /** Adds an interceptor that sees the calls of every service (e.g. logging). */
    public Builder addInterceptor(ServerInterceptor interceptor) {
      interceptors.add(interceptor);
      return this;
    }

    /** The largest message a client may send, in bytes. */
    public Builder maxInboundMessageSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxInboundMessageSize must be positive: " + bytes);
      }
      maxInboundMessageBytes = bytes;
      return this;
    }

    public NodeGrpcServer build() {
      return new NodeGrpcServer(this);
    }
  }
}
