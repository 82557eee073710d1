package org.lms.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lms.application.port.BlobStore;

/** A blob store in a map, for tests of code that only reads and writes blobs through the port. */
public final class MemoryBlobStore implements BlobStore {

  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

  /** Stores {@code bytes} and returns their sha256. */
  public String put(byte[] bytes) {
    String sha256 = sha256(bytes);
    blobs.put(sha256, bytes.clone());
    return sha256;
  }

  @Override
  public StoredBlob put(InputStream in, long maxBytes) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (bytes.length > maxBytes) {
      throw new BlobTooLargeException(maxBytes);
    }
    return new StoredBlob(put(bytes), bytes.length);
  }

  @Override
  public InputStream open(String sha256) {
    byte[] bytes = blobs.get(sha256);
    if (bytes == null) {
      throw new BlobNotFoundException(sha256);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public boolean hasLocally(String sha256) {
    return blobs.containsKey(sha256);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
