package org.lms.application.port;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content-addressed file bytes (sha256). A {@link #put} returns only when a majority of the nodes
 * hold the bytes, so a command that references the hash never points at bytes that one crash can
 * lose.
 */
public interface BlobStore {

  /**
   * Streams {@code in} into the store and replicates it to a majority of the nodes.
   *
   * @throws BlobTooLargeException when more than {@code maxBytes} arrive (nothing is kept)
   * @throws BlobUnavailableException when a majority could not be reached (retryable)
   */
  StoredBlob put(InputStream in, long maxBytes) throws IOException;

  /**
   * Opens the bytes of {@code sha256}, fetching them from a peer (and verifying the hash) when this
   * node lacks them.
   *
   * @throws BlobNotFoundException when no reachable node has them
   */
  InputStream open(String sha256) throws IOException;

  /** Whether this node holds the bytes itself. */
  boolean hasLocally(String sha256);

  /** What was stored: its hash and size in bytes. */
  record StoredBlob(String sha256, long size) {}

  /** More bytes arrived than allowed. */
  final class BlobTooLargeException extends RuntimeException {
    public BlobTooLargeException(long maxBytes) {
      super("file is larger than the limit of " + maxBytes + " bytes");
    }
  }

  /** The bytes could not be placed on a majority of nodes; try again. */
  final class BlobUnavailableException extends RuntimeException {
    public BlobUnavailableException(String message) {
      super(message);
    }
  }

  /** No reachable node holds the bytes. */
  final class BlobNotFoundException extends RuntimeException {
    public BlobNotFoundException(String sha256) {
      super("no node holds the file " + sha256);
    }
  }
}
