package org.lms.infrastructure.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lms.application.port.BlobStore.BlobNotFoundException;
import org.lms.application.port.BlobStore.BlobTooLargeException;
import org.lms.application.port.BlobStore.StoredBlob;

@Timeout(30)
class FileBlobStoreTest {

  @TempDir Path dir;

  @Test
  void storesBytesUnderTheirSha256() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] bytes = "the quick brown fox".getBytes(StandardCharsets.UTF_8);

    StoredBlob blob = store.put(new ByteArrayInputStream(bytes), 1000);

    // sha256("the quick brown fox"), computed independently
    assertThat(blob.sha256())
        .isEqualTo("9ecb36561341d18eb65484e833efea61edc74b84cf5e6ae1b81c63533e25fc8f");
    assertThat(blob.size()).isEqualTo(bytes.length);
    assertThat(Files.readAllBytes(dir.resolve("blobs").resolve(blob.sha256()))).isEqualTo(bytes);
    assertThat(store.has(blob.sha256())).isTrue();
    assertThat(store.size(blob.sha256())).isEqualTo(bytes.length);
    try (InputStream in = store.open(blob.sha256())) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void hashesLargeAndEmptyBlobsCorrectly() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] large = randomBytes(3 * 1024 * 1024 + 17, 1);

    StoredBlob blob = store.put(new ByteArrayInputStream(large), large.length);
    StoredBlob empty = store.put(InputStream.nullInputStream(), 0);

    assertThat(blob).isEqualTo(new StoredBlob(sha256(large), large.length));
    assertThat(empty)
        .isEqualTo(
            new StoredBlob("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0));
    assertThat(store.has(empty.sha256())).isTrue();
  }

  @Test
  void moreBytesThanTheLimitLeaveNothing() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] bytes = randomBytes(200_001, 2);

    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes), 200_000))
        .isInstanceOf(BlobTooLargeException.class);

    assertThat(store.has(sha256(bytes))).isFalse();
    assertThat(storedBlobs()).isEmpty();
    assertThat(tempFiles()).isEmpty();
    // exactly the limit is fine
    assertThat(store.put(new ByteArrayInputStream(bytes, 0, 200_000), 200_000).size())
        .isEqualTo(200_000);
  }

  @Test
  void concurrentIdenticalPutsStoreOneBlob() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] bytes = randomBytes(1024 * 1024, 3);
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Callable<StoredBlob>> puts = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        puts.add(() -> store.put(new ByteArrayInputStream(bytes), bytes.length));
      }
      for (Future<StoredBlob> result : pool.invokeAll(puts)) {
        assertThat(result.get()).isEqualTo(new StoredBlob(sha256(bytes), bytes.length));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(storedBlobs()).containsExactly(sha256(bytes));
    assertThat(Files.readAllBytes(store.path(sha256(bytes)))).isEqualTo(bytes);
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void refusesNamesThatAreNotLowercaseHexSha256() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    Files.writeString(dir.resolve("secret.txt"), "not a blob");
    String valid = "a".repeat(64);
    List<String> bad =
        List.of(
            "../secret.txt",
            "../../etc/passwd",
            "A".repeat(64),
            "a".repeat(63),
            "a".repeat(65),
            "g".repeat(64),
            "/" + "a".repeat(63),
            "",
            ".tmp");

    for (String name : bad) {
      assertThatThrownBy(() -> store.has(name)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.open(name)).isInstanceOf(IllegalArgumentException.class);
      try (FileBlobStore.Upload upload = store.beginUpload(10)) {
        upload.write(new byte[1], 0, 1);
        assertThatThrownBy(() -> upload.commit(name)).isInstanceOf(IllegalArgumentException.class);
      }
    }
    assertThatThrownBy(() -> store.has(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(FileBlobStore.isValidSha256(valid)).isTrue();
    assertThat(store.has(valid)).isFalse();
    assertThatThrownBy(() -> store.open(valid)).isInstanceOf(BlobNotFoundException.class);
    assertThat(storedBlobs()).isEmpty();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void anUploadCommittedUnderAnExpectedHashKeepsOnlyMatchingBytes() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] bytes = randomBytes(100_000, 4);
    byte[] corrupted = bytes.clone();
    corrupted[50_000] ^= 1;

    try (FileBlobStore.Upload upload = store.beginUpload(1_000_000)) {
      upload.writeAll(new ByteArrayInputStream(corrupted));
      assertThatThrownBy(() -> upload.commit(sha256(bytes)))
          .isInstanceOf(BlobHashMismatchException.class);
    }
    assertThat(storedBlobs()).isEmpty();
    assertThat(tempFiles()).isEmpty();

    StoredBlob blob;
    try (FileBlobStore.Upload upload = store.beginUpload(1_000_000)) {
      upload.writeAll(new ByteArrayInputStream(bytes));
      blob = upload.commit(sha256(bytes));
    }
    assertThat(blob).isEqualTo(new StoredBlob(sha256(bytes), bytes.length));
    assertThat(storedBlobs()).containsExactly(sha256(bytes));
  }

  @Test
  void abandonedUploadLeavesNothingAndOrphansAreRemovedAtStart() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    try (FileBlobStore.Upload upload = store.beginUpload(100)) {
      upload.write(new byte[10], 0, 10);
      assertThat(tempFiles()).hasSize(1);
    }
    assertThat(tempFiles()).isEmpty();

    Path orphan = dir.resolve("blobs").resolve(".tmp").resolve("upload-123.part");
    Files.write(orphan, new byte[] {1, 2, 3});
    new FileBlobStore(dir);
    assertThat(orphan).doesNotExist();
  }

  private List<String> storedBlobs() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    }
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("blobs").resolve(".tmp"))) {
      return files.toList();
    }
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
