package org.lms.infrastructure.blobs;

/** Told how many file bytes this node's {@link ReplicatedBlobStore} moved, for the metrics. */
public interface BlobTraffic {

  /** Counts nothing. */
  BlobTraffic NONE =
      new BlobTraffic() {
        @Override
        public void stored(long bytes) {}

        @Override
        public void fetched(long bytes) {}
      };

  /** A put through this node stored {@code bytes} here and on a majority. */
  void stored(long bytes);

  /** This node fetched {@code bytes} it lacked from a peer, hash verified. */
  void fetched(long bytes);
}
