package org.lms.interfaces.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * A server-streamed download: a first message describing the file, then its bytes in chunks, sent
 * only as fast as the client reads (gRPC flow control), so a slow client never makes the node
 * buffer a whole file. The file is closed when the stream ends, fails or is cancelled.
 */
final class ChunkedDownload<R> {
  static final int CHUNK_BYTES = 64 * 1024;

  private final ServerCallStreamObserver<R> responses;
  private final InputStream bytes;
  private final Function<ByteString, R> chunk;
  private final byte[] buffer = new byte[CHUNK_BYTES];
  private boolean done;
  private boolean pumping;
  private boolean readyAgain;

  private ChunkedDownload(
      ServerCallStreamObserver<R> responses, InputStream bytes, Function<ByteString, R> chunk) {
    this.responses = responses;
    this.bytes = bytes;
    this.chunk = chunk;
  }

  /** Sends {@code first}, then the bytes of {@code bytes} wrapped by {@code chunk}. */
  static <R> void send(
      StreamObserver<R> responses, R first, InputStream bytes, Function<ByteString, R> chunk) {
    var download = new ChunkedDownload<>((ServerCallStreamObserver<R>) responses, bytes, chunk);
    download.responses.setOnCancelHandler(download::cancelled);
    download.responses.setOnReadyHandler(download::pump);
    download.responses.onNext(first);
    download.pump();
  }

  private synchronized void pump() {
    if (done) {
      return;
    }
    if (pumping) {
      // called back from inside onNext: the running loop goes on
      readyAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        readyAgain = false;
        while (!done && responses.isReady()) {
          int n = bytes.readNBytes(buffer, 0, buffer.length);
          if (n == 0) {
            finish();
            responses.onCompleted();
            return;
          }
          responses.onNext(chunk.apply(ByteString.copyFrom(buffer, 0, n)));
        }
      } while (readyAgain && !done);
    } catch (IOException | RuntimeException e) {
      finish();
      responses.onError(ErrorMapper.toStatusException(e));
    } finally {
      pumping = false;
    }
  }

  private synchronized void cancelled() {
    finish();
  }

  private void finish() {
    if (!done) {
      done = true;
      try {
        bytes.close();
      } catch (IOException e) {
        // nothing more to read from it either way
      }
    }
  }
}
