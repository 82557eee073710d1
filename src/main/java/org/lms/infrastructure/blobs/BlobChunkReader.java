package org.lms.infrastructure.blobs;

import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.application.port.BlobStore.StoredBlob;
import org.lms.infrastructure.blobs.v1.BlobChunk;

/**
 * Cuts one stored blob into the chunks of the replication protocol, for both directions (a fetch
 * answered, a push sent): the first chunk names the blob and its size, even an empty one, and the
 * stream ends after the first chunk shorter than {@link #CHUNK_BYTES}. Not thread-safe; gRPC's
 * callbacks of one call never overlap.
 */
final class BlobChunkReader {

  /** Bytes of data per streamed chunk. */
  static final int CHUNK_BYTES = 64 * 1024;

  private static final Logger LOG = Logger.getLogger(BlobChunkReader.class.getName());

  private final StoredBlob blob;
  private final InputStream in;
  private boolean first = true;
  private boolean atEnd;

  /** Reads {@code in}, the stored bytes of {@code blob}, and closes it in {@link #close}. */
  BlobChunkReader(StoredBlob blob, InputStream in) {
    this.blob = blob;
    this.in = in;
  }

  /** The next chunk, or null when the previous one was the last (see {@link #atEnd}). */
  BlobChunk next() throws IOException {
    byte[] data = in.readNBytes(CHUNK_BYTES);
    if (data.length == 0 && !first) {
      atEnd = true;
      return null;
    }
    BlobChunk.Builder chunk = BlobChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data));
    if (first) {
      chunk.setSha256(blob.sha256()).setSize(blob.size());
      first = false;
    }
    atEnd = data.length < CHUNK_BYTES;
    return chunk.build();
  }

  /** Whether every chunk has been returned: the stream may be completed now. */
  boolean atEnd() {
    return atEnd;
  }

  /** Closes the blob's stream; a failure to close a read-only file is only logged. */
  void close() {
    try {
      in.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing blob " + blob.sha256(), e);
    }
  }
}
