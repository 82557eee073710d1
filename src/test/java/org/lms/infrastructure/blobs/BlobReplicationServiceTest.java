package org.lms.infrastructure.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lms.infrastructure.blobs.FileBlobStoreTest.randomBytes;
import static org.lms.infrastructure.blobs.FileBlobStoreTest.sha256;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lms.infrastructure.blobs.v1.BlobChunk;
import org.lms.infrastructure.blobs.v1.BlobReplicationGrpc;
import org.lms.infrastructure.blobs.v1.FetchRequest;
import org.lms.infrastructure.blobs.v1.HasRequest;
import org.lms.infrastructure.blobs.v1.PushReply;

/** The replication service's own rules, over gRPC's in-process transport. */
@Timeout(30)
class BlobReplicationServiceTest {

  private static final long LIMIT = 1_000_000;

  @TempDir Path dir;
  private FileBlobStore store;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    store = new FileBlobStore(dir);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new BlobReplicationService(store, LIMIT))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void pushStoresBytesThatMatchTheirDeclaration() throws Exception {
    byte[] bytes = randomBytes(300_000, 10);

    PushReply reply = push(chunks(sha256(bytes), bytes.length, bytes, 64 * 1024)).get();

    assertThat(reply.getSha256()).isEqualTo(sha256(bytes));
    assertThat(reply.getSize()).isEqualTo(bytes.length);
    assertThat(Files.readAllBytes(store.path(sha256(bytes)))).isEqualTo(bytes);
    assertThat(hasOverGrpc(sha256(bytes))).isTrue();
  }

  @Test
  void pushOfBytesWithAnotherHashIsRefusedWithDataLoss() throws Exception {
    byte[] bytes = randomBytes(100_000, 11);
    String claimed = sha256(randomBytes(100_000, 12));

    assertStatus(push(chunks(claimed, bytes.length, bytes, 8192)), Status.Code.DATA_LOSS);

    assertNothingKept();
  }

  @Test
  void pushWithAWrongSizeIsRefused() throws Exception {
    byte[] bytes = randomBytes(50_000, 13);

    assertStatus(push(chunks(sha256(bytes), bytes.length + 1, bytes, 8192)), Status.Code.DATA_LOSS);
    assertStatus(push(chunks(sha256(bytes), bytes.length - 1, bytes, 8192)), Status.Code.DATA_LOSS);

    assertNothingKept();
  }

  @Test
  void pushLargerThanTheLimitIsRefusedWithResourceExhausted() throws Exception {
    byte[] bytes = randomBytes((int) LIMIT + 1, 14);

    assertStatus(
        push(chunks(sha256(bytes), bytes.length, bytes, 64 * 1024)),
        Status.Code.RESOURCE_EXHAUSTED);

    assertNothingKept();
  }

  @Test
  void pushWithoutADeclarationIsRefusedWithInvalidArgument() throws Exception {
    byte[] bytes = randomBytes(1000, 15);

    assertStatus(push(chunks("", bytes.length, bytes, 100)), Status.Code.INVALID_ARGUMENT);
    assertStatus(
        push(chunks("../" + sha256(bytes).substring(3), bytes.length, bytes, 100)),
        Status.Code.INVALID_ARGUMENT);
    assertStatus(push(List.of()), Status.Code.INVALID_ARGUMENT);

    assertNothingKept();
  }

  @Test
  void cancelledPushLeavesNoPartialFile() throws Exception {
    byte[] bytes = randomBytes(200_000, 16);
    CompletableFuture<PushReply> result = new CompletableFuture<>();
    StreamObserver<BlobChunk> requests =
        BlobReplicationGrpc.newStub(channel).push(observer(result));
    List<BlobChunk> chunks = chunks(sha256(bytes), bytes.length, bytes, 10_000);
    for (BlobChunk chunk : chunks.subList(0, 5)) {
      requests.onNext(chunk);
    }
    awaitTempFiles(1);

    requests.onError(new RuntimeException("the sender gave up"));

    assertStatus(result, Status.Code.CANCELLED);
    awaitTempFiles(0);
    assertNothingKept();
  }

  @Test
  void fetchStreamsAStoredBlobInChunks() throws Exception {
    byte[] bytes = randomBytes(200_000, 17);
    store.put(new ByteArrayInputStream(bytes), LIMIT);

    Iterator<BlobChunk> chunks =
        BlobReplicationGrpc.newBlockingStub(channel)
            .fetch(FetchRequest.newBuilder().setSha256(sha256(bytes)).build());

    BlobChunk first = chunks.next();
    assertThat(first.getSha256()).isEqualTo(sha256(bytes));
    assertThat(first.getSize()).isEqualTo(bytes.length);
    assertThat(first.getData().size()).isEqualTo(BlobChunkReader.CHUNK_BYTES);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    first.getData().writeTo(received);
    while (chunks.hasNext()) {
      BlobChunk next = chunks.next();
      assertThat(next.getSha256()).isEmpty();
      next.getData().writeTo(received);
    }
    assertThat(received.toByteArray()).isEqualTo(bytes);
  }

  @Test
  void fetchOfAMissingOrMalformedBlobIsRefused() {
    var stub = BlobReplicationGrpc.newBlockingStub(channel);

    assertThatThrownBy(
            () -> stub.fetch(FetchRequest.newBuilder().setSha256("b".repeat(64)).build()).hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(
            () -> stub.fetch(FetchRequest.newBuilder().setSha256("../blobs").build()).hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> stub.has(HasRequest.newBuilder().setSha256("B".repeat(64)).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  private boolean hasOverGrpc(String sha256) {
    return BlobReplicationGrpc.newBlockingStub(channel)
        .has(HasRequest.newBuilder().setSha256(sha256).build())
        .getPresent();
  }

  private CompletableFuture<PushReply> push(List<BlobChunk> chunks) {
    CompletableFuture<PushReply> result = new CompletableFuture<>();
    StreamObserver<BlobChunk> requests =
        BlobReplicationGrpc.newStub(channel).push(observer(result));
    chunks.forEach(requests::onNext);
    requests.onCompleted();
    return result;
  }

  private static StreamObserver<PushReply> observer(CompletableFuture<PushReply> result) {
    return new StreamObserver<>() {
      private PushReply reply;

      @Override
      public void onNext(PushReply value) {
        reply = value;
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.complete(reply);
      }
    };
  }

  static List<BlobChunk> chunks(String sha256, long size, byte[] bytes, int chunkBytes) {
    List<BlobChunk> chunks = new ArrayList<>();
    for (int offset = 0; offset < bytes.length || chunks.isEmpty(); offset += chunkBytes) {
      BlobChunk.Builder chunk =
          BlobChunk.newBuilder()
              .setData(
                  ByteString.copyFrom(bytes, offset, Math.min(chunkBytes, bytes.length - offset)));
      if (chunks.isEmpty()) {
        chunk.setSha256(sha256).setSize(size);
      }
      chunks.add(chunk.build());
    }
    return chunks;
  }

  private static void assertStatus(CompletableFuture<?> call, Status.Code code) {
    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  private void assertNothingKept() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("blobs"))) {
      assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
    }
    awaitTempFiles(0);
  }

  private void awaitTempFiles(int count) throws IOException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Stream<Path> files = Files.list(dir.resolve("blobs").resolve(".tmp"))) {
        long found = files.count();
        if (found == count || System.nanoTime() > until) {
          assertThat(found).isEqualTo(count);
          return;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
