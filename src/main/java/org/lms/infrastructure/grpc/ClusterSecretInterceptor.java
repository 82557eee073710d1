package org.lms.infrastructure.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.util.logging.Logger;
import org.lms.infrastructure.security.ClusterSecret;

/**
 * Admits a node-to-node call only when its {@code x-lms-cluster-secret} header equals the cluster
 * secret; anything else is closed with {@code UNAUTHENTICATED} before it reaches the service. Apply
 * it to internal services only ({@code ServerInterceptors.intercept(service, this)}): the public
 * API authenticates its own users.
 */
public final class ClusterSecretInterceptor implements ServerInterceptor {

  /** The metadata header that carries the cluster secret on node-to-node calls. */
  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("x-lms-cluster-secret", Metadata.ASCII_STRING_MARSHALLER);

  private static final Logger LOG = Logger.getLogger(ClusterSecretInterceptor.class.getName());

  private final ClusterSecret secret;

  /**
   * @param clusterSecret the shared secret; must not be blank, since an empty secret would admit
   *     anyone who sends an empty header
   */
  public ClusterSecretInterceptor(String clusterSecret) {
    this.secret = new ClusterSecret(clusterSecret);
  }

  /** A client interceptor that attaches {@code clusterSecret} to every outgoing call. */
  public static ClientInterceptor attaching(String clusterSecret) {
    Metadata headers = new Metadata();
    headers.put(HEADER, ClusterSecret.requireUsable(clusterSecret));
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String offered = headers.get(HEADER);
    if (!secret.matches(offered)) {
      LOG.warning(
          () ->
              "refused "
                  + call.getMethodDescriptor().getFullMethodName()
                  + (offered == null ? ": no cluster secret" : ": wrong cluster secret"));
      call.close(
          Status.UNAUTHENTICATED.withDescription("cluster secret missing or wrong"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
