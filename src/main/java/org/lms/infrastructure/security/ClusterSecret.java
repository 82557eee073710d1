package org.lms.infrastructure.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cluster's shared secret as a check: whether an offered value is the secret. Node-to-node gRPC
 * calls and the operator's HTTP endpoints (backup, membership) present it; the public API
 * authenticates its own users instead.
 */
public final class ClusterSecret {

  private final byte[] digest;

  /**
   * @param secret the shared secret; must not be blank, since an empty secret would admit anyone
   *     who offers an empty value
   */
  public ClusterSecret(String secret) {
    this.digest = sha256(requireUsable(secret));
  }

  /** Whether {@code offered} is the secret; null or empty is not. */
  public boolean matches(String offered) {
    // Comparing fixed-length digests with isEqual takes the same time whatever the offered value,
    // so timing reveals neither the secret's content nor its length.
    return offered != null && MessageDigest.isEqual(digest, sha256(offered));
  }

  /** {@code secret} itself, checked as the constructor checks it: for the sending side. */
  public static String requireUsable(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("the cluster secret must not be empty");
    }
    return secret;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
