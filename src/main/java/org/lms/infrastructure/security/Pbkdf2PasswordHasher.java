package org.lms.infrastructure.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.lms.application.port.PasswordHasher;

/**
 * PBKDF2-HMAC-SHA256 with a random 16-byte salt, stored as {@code
 * PBKDF2WithHmacSHA256:<iterations>:<salt b64>:<hash b64>} (the layout of Jakarta Security's
 * Pbkdf2PasswordHash), so stored hashes carry their own parameters and the iteration count can
 * grow.
 */
public final class Pbkdf2PasswordHasher implements PasswordHasher {
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";

  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;

  private static final int MAX_ITERATIONS = 10_000_000;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();

  public Pbkdf2PasswordHasher() {
    this(DEFAULT_ITERATIONS);
  }

  /** Fewer iterations only for tests, where hashing cost is not the point. */
  public Pbkdf2PasswordHasher(int iterations) {
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations out of range: " + iterations);
    }
    this.iterations = iterations;
  }

  @Override
  public String hash(char[] password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, iterations);
    var b64 = Base64.getEncoder();
    return ALGORITHM
        + ":"
        + iterations
        + ":"
        + b64.encodeToString(salt)
        + ":"
        + b64.encodeToString(hash);
  }

  @Override
  public boolean verify(char[] password, String stored) {
    if (password == null || stored == null) {
      return false;
    }
    String[] parts = stored.split(":");
    if (parts.length != 4 || !ALGORITHM.equals(parts[0])) {
      return false;
    }
    try {
      int n = Integer.parseInt(parts[1]);
      if (n < 1 || n > MAX_ITERATIONS) {
        return false;
      }
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return MessageDigest.isEqual(expected, derive(password, salt, n));
    } catch (IllegalArgumentException e) {
      return false; // malformed stored hash: never matches
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    var spec = new PBEKeySpec(password, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
