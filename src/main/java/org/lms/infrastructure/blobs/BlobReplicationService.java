package org.lms.infrastructure.blobs;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.application.port.BlobStore.BlobNotFoundException;
import org.lms.application.port.BlobStore.BlobTooLargeException;
import org.lms.application.port.BlobStore.StoredBlob;
import org.lms.infrastructure.blobs.v1.BlobChunk;
import org.lms.infrastructure.blobs.v1.BlobReplicationGrpc;
import org.lms.infrastructure.blobs.v1.FetchRequest;
import org.lms.infrastructure.blobs.v1.HasReply;
import org.lms.infrastructure.blobs.v1.HasRequest;
import org.lms.infrastructure.blobs.v1.PushReply;

/**
 * The internal {@code BlobReplication} service over this node's {@link FileBlobStore}: peers push
 * blobs here, fetch blobs from here and ask what is here. It trusts no byte it receives: a pushed
 * blob is kept only if it hashes to its declared name. Host it behind a {@code
 * ClusterSecretInterceptor}.
 */
public final class BlobReplicationService extends BlobReplicationGrpc.BlobReplicationImplBase {

  private static final Logger LOG = Logger.getLogger(BlobReplicationService.class.getName());

  private final FileBlobStore store;
  private final long maxBytes;

  /**
   * @param store this node's blobs
   * @param maxBytes the largest blob a peer may push (the node's upload limit)
   */
  public BlobReplicationService(FileBlobStore store, long maxBytes) {
    this.store = store;
    this.maxBytes = maxBytes;
  }

  @Override
  public StreamObserver<BlobChunk> push(StreamObserver<PushReply> responses) {
    return new PushReceiver(responses);
  }

  @Override
  public void has(HasRequest request, StreamObserver<HasReply> responses) {
    if (!FileBlobStore.isValidSha256(request.getSha256())) {
      responses.onError(malformedHash().asRuntimeException());
      return;
    }
    responses.onNext(HasReply.newBuilder().setPresent(store.has(request.getSha256())).build());
    responses.onCompleted();
  }

  @Override
  public void fetch(FetchRequest request, StreamObserver<BlobChunk> responses) {
    String sha256 = request.getSha256();
    if (!FileBlobStore.isValidSha256(sha256)) {
      responses.onError(malformedHash().asRuntimeException());
      return;
    }
    long size;
    InputStream in;
    try {
      size = store.size(sha256);
      in = store.open(sha256);
    } catch (BlobNotFoundException e) {
      responses.onError(
          Status.NOT_FOUND
              .withDescription("this node does not hold " + sha256)
              .asRuntimeException());
      return;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read blob " + sha256, e);
      responses.onError(
          Status.INTERNAL
              .withDescription("cannot read " + sha256)
              .withCause(e)
              .asRuntimeException());
      return;
    }
    new FetchSender(
            (ServerCallStreamObserver<BlobChunk>) responses, new StoredBlob(sha256, size), in)
        .start();
  }

  private static Status malformedHash() {
    return Status.INVALID_ARGUMENT.withDescription("sha256 must be 64 lowercase hex digits");
  }

  /**
   * Receives one pushed blob. gRPC calls it one event at a time, so it needs no locking; its
   * inbound flow control pauses the sender while a chunk is being written.
   */
  private final class PushReceiver implements StreamObserver<BlobChunk> {
    private final StreamObserver<PushReply> responses;
    private FileBlobStore.Upload upload;
    private String declaredSha256;
    private long declaredSize;
    private boolean done;

    PushReceiver(StreamObserver<PushReply> responses) {
      this.responses = responses;
    }

    @Override
    public void onNext(BlobChunk chunk) {
      if (done) {
        return;
      }
      try {
        if (upload == null) {
          begin(chunk);
          if (done) {
            return;
          }
        }
        upload.write(chunk.getData().asReadOnlyByteBuffer());
      } catch (BlobTooLargeException e) {
        // The upload's limit is the declared size, itself within this node's limit.
        fail(
            Status.DATA_LOSS.withDescription(
                "more bytes arrived than the declared " + declaredSize));
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "cannot store pushed blob " + declaredSha256, e);
        fail(Status.INTERNAL.withDescription("cannot store the blob").withCause(e));
      }
    }

    private void begin(BlobChunk first) throws IOException {
      declaredSha256 = first.getSha256();
      declaredSize = first.getSize();
      if (!FileBlobStore.isValidSha256(declaredSha256)) {
        fail(
            malformedHash().withDescription("the first chunk must declare a lowercase hex sha256"));
      } else if (declaredSize < 0) {
        fail(Status.INVALID_ARGUMENT.withDescription("declared size is negative"));
      } else if (declaredSize > maxBytes) {
        fail(
            Status.RESOURCE_EXHAUSTED.withDescription(
                new BlobTooLargeException(maxBytes).getMessage()));
      } else {
        upload = store.beginUpload(declaredSize);
      }
    }

    @Override
    public void onError(Throwable t) {
      // The pusher cancelled, or the connection broke: keep nothing of what arrived.
      done = true;
      abandonUpload();
      LOG.fine(
          () -> "push of " + declaredSha256 + " ended by the sender: " + Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      if (done) {
        return;
      }
      if (upload == null) {
        fail(Status.INVALID_ARGUMENT.withDescription("a push needs at least one chunk"));
        return;
      }
      try {
        if (upload.size() != declaredSize) {
          fail(
              Status.DATA_LOSS.withDescription(
                  "declared " + declaredSize + " bytes but received " + upload.size()));
          return;
        }
        StoredBlob stored = upload.commit(declaredSha256);
        done = true;
        responses.onNext(
            PushReply.newBuilder().setSha256(stored.sha256()).setSize(stored.size()).build());
        responses.onCompleted();
      } catch (BlobHashMismatchException e) {
        fail(Status.DATA_LOSS.withDescription(e.getMessage()));
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "cannot store pushed blob " + declaredSha256, e);
        fail(Status.INTERNAL.withDescription("cannot store the blob").withCause(e));
      }
    }

    private void fail(Status status) {
      done = true;
      abandonUpload();
      responses.onError(status.asRuntimeException());
    }

    private void abandonUpload() {
      if (upload != null) {
        try {
          upload.close();
        } catch (IOException e) {
          LOG.log(Level.WARNING, "cannot delete an abandoned upload of " + declaredSha256, e);
        }
      }
    }
  }

  /**
   * Streams one blob as fast as the receiver takes it: chunks are read only while the call is
   * ready, so a slow peer never makes this node buffer a whole blob in memory.
   */
  private static final class FetchSender {
    private final ServerCallStreamObserver<BlobChunk> responses;
    private final String sha256;
    private final BlobChunkReader chunks;
    private boolean done;

    FetchSender(ServerCallStreamObserver<BlobChunk> responses, StoredBlob blob, InputStream in) {
      this.responses = responses;
      this.sha256 = blob.sha256();
      this.chunks = new BlobChunkReader(blob, in);
    }

    void start() {
      // Both handlers run in the call's serialized executor, never at the same time.
      responses.setOnCancelHandler(this::finish);
      responses.setOnReadyHandler(this::sendWhileReady);
    }

    private void sendWhileReady() {
      try {
        while (!done && responses.isReady()) {
          BlobChunk chunk = chunks.next();
          if (chunk != null) {
            responses.onNext(chunk);
          }
          if (chunks.atEnd()) {
            finish();
            responses.onCompleted();
            return;
          }
        }
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot read blob " + sha256, e);
        finish();
        responses.onError(
            Status.INTERNAL
                .withDescription("cannot read " + sha256)
                .withCause(e)
                .asRuntimeException());
      }
    }

    private void finish() {
      if (done) {
        return;
      }
      done = true;
      chunks.close();
    }
  }
}
