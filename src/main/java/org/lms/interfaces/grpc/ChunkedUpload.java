package org.lms.interfaces.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import org.lms.domain.state.Checks;

/**
 * A client-streamed upload: one header message, then chunks of bytes. The header is checked by the
 * use case as soon as it arrives (so a refused upload costs no transfer), the bytes go to an {@link
 * UploadSpool} bounded by the size limit, their SHA-256 is compared with the client's, and only a
 * complete, matching file is handed to the use case. A cancelled or failed stream leaves no file.
 *
 * @param <Q> the stream's message type
 * @param <H> its header type
 * @param <R> the response type
 */
abstract class ChunkedUpload<Q, H, R> implements StreamObserver<Q> {
  private final ServerCallStreamObserver<R> responses;
  private final UploadSpool spool;
  private final boolean sha256Required;
  private H header;
  // gRPC delivers one call's messages in order, one at a time; only cancellation may come from
  // another thread, so the flag it sets is volatile and the spool is thread-safe
  private volatile boolean done;

  ChunkedUpload(StreamObserver<R> responses, Path spoolDir, long maxBytes, boolean sha256Required) {
    this.responses = (ServerCallStreamObserver<R>) responses;
    this.spool = new UploadSpool(spoolDir, maxBytes);
    this.sha256Required = sha256Required;
    this.responses.setOnCancelHandler(this::end);
  }

  /** The header a message carries, or null when it carries no header. */
  abstract H header(Q message);

  /** The chunk a message carries, or null when it carries no chunk. */
  abstract ByteString chunk(Q message);

  /** The SHA-256 the client declared in the header; "" for none. */
  abstract String declaredSha256(H header);

  /** Checks the header with the use case before any byte is accepted. */
  abstract void accept(H header);

  /** Hands the complete file to the use case and renders its answer. */
  abstract R finish(H header, InputStream bytes) throws Exception;

  @Override
  public void onNext(Q message) {
    if (done) {
      return;
    }
    try {
      H h = header(message);
      ByteString chunk = chunk(message);
      if (h != null) {
        if (header != null) {
          throw Checks.invalid("header", "must be sent once, in the first message");
        }
        String declared = declaredSha256(h);
        if (declared.isEmpty() && sha256Required) {
          throw Checks.invalid("sha256", "is required: the SHA-256 of the file, 64 hex digits");
        }
        if (!declared.isEmpty()) {
          Checks.sha256("sha256", declared.toLowerCase(Locale.ROOT));
        }
        accept(h);
        header = h;
      } else if (chunk != null) {
        if (header == null) {
          throw Checks.invalid("header", "must be the first message, before any chunk");
        }
        spool.write(chunk);
      } else {
        throw Checks.invalid("part", "every message must carry a header or a chunk");
      }
    } catch (Exception e) {
      fail(e);
    }
  }

  @Override
  public void onError(Throwable t) {
    end(); // the client cancelled or the stream broke: nothing to answer
  }

  @Override
  public void onCompleted() {
    if (done) {
      return;
    }
    R response;
    try {
      if (header == null) {
        throw Checks.invalid("header", "is required: the stream ended before it");
      }
      if (spool.size() == 0) {
        throw Checks.invalid("chunk", "the file is empty: send its bytes after the header");
      }
      String actual = spool.sha256();
      String declared = declaredSha256(header).toLowerCase(Locale.ROOT);
      if (!declared.isEmpty() && !declared.equals(actual)) {
        throw Checks.invalid(
            "sha256",
            "does not match the "
                + spool.size()
                + " bytes received, whose SHA-256 is "
                + actual
                + "; nothing was stored");
      }
      try (InputStream bytes = spool.open()) {
        response = finish(header, bytes);
      }
    } catch (Exception e) {
      fail(e);
      return;
    }
    end();
    responses.onNext(response);
    responses.onCompleted();
  }

  private void fail(Exception e) {
    end();
    responses.onError(ErrorMapper.toStatusException(e));
  }

  private void end() {
    done = true;
    spool.close();
  }
}
