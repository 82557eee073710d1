package org.lms.interfaces.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.lms.interfaces.grpc.v1.SubmissionHeader;
import org.lms.interfaces.grpc.v1.SubmitAssignmentRequest;

/** Client side of the chunked upload streams, for tests and the benchmark drivers. */
public final class Uploads {
  private Uploads() {}

  public static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The messages of a SubmitAssignment stream that hands in {@code bytes} in one chunk: the header
   * (with the file's SHA-256), then the bytes.
   */
  public static List<SubmitAssignmentRequest> handIn(
      String assignmentId, String fileName, String mediaType, byte[] bytes) {
    return List.of(
        SubmitAssignmentRequest.newBuilder()
            .setHeader(
                SubmissionHeader.newBuilder()
                    .setAssignmentId(assignmentId)
                    .setFileName(fileName)
                    .setMediaType(mediaType)
                    .setSha256(sha256(bytes)))
            .build(),
        SubmitAssignmentRequest.newBuilder().setChunk(ByteString.copyFrom(bytes)).build());
  }

  /** {@code bytes} cut into chunks of at most {@code size}. */
  public static List<ByteString> chunks(byte[] bytes, int size) {
    var chunks = new ArrayList<ByteString>();
    for (int at = 0; at < bytes.length; at += size) {
      chunks.add(ByteString.copyFrom(bytes, at, Math.min(size, bytes.length - at)));
    }
    return chunks;
  }

  /**
   * Sends {@code messages} on a client stream opened by {@code call} and waits for its answer; the
   * call's failure is rethrown as it came (a StatusRuntimeException).
   */
  public static <Q, R> R send(
      Function<StreamObserver<R>, StreamObserver<Q>> call, List<Q> messages) {
    return send(call, messages, Duration.ofSeconds(60));
  }

  /** As {@link #send(Function, List)}, waiting at most {@code wait} for the answer. */
  public static <Q, R> R send(
      Function<StreamObserver<R>, StreamObserver<Q>> call, List<Q> messages, Duration wait) {
    var answer = new CompletableFuture<R>();
    StreamObserver<Q> requests =
        call.apply(
            new StreamObserver<>() {
              @Override
              public void onNext(R value) {
                answer.complete(value);
              }

              @Override
              public void onError(Throwable t) {
                answer.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                answer.complete(null);
              }
            });
    for (Q message : messages) {
      if (answer.isDone()) {
        break; // the server already answered (a refusal): the rest would go nowhere
      }
      requests.onNext(message);
    }
    if (!answer.isDone()) {
      requests.onCompleted();
    }
    try {
      return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
