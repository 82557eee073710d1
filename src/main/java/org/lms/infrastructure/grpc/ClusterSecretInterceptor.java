package org.lms.infrastructure.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.logging.Logger;

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

  private final byte[] secretDigest;

  /**
   * @param clusterSecret the shared secret; must not be blank, since an empty secret would admit
   *     anyone who sends an empty header
   */
  public ClusterSecretInterceptor(String clusterSecret) {
    this.secretDigest = digest(requireUsable(clusterSecret));
  }

  /** A client interceptor that attaches {@code clusterSecret} to every outgoing call. */
  public static ClientInterceptor attaching(String clusterSecret) {
    Metadata headers = new Metadata();
    headers.put(HEADER, requireUsable(clusterSecret));
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String offered = headers.get(HEADER);
    // Comparing fixed-length digests with isEqual takes the same time whatever the offered value,
    // so timing reveals neither the secret's content nor its length.
    if (offered == null || !MessageDigest.isEqual(secretDigest, digest(offered))) {
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

  private static String requireUsable(String clusterSecret) {
    if (clusterSecret == null || clusterSecret.isBlank()) {
      throw new IllegalArgumentException("the cluster secret must not be empty");
    }
    return clusterSecret;
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
