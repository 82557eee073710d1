package org.lms.infrastructure.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's writer and reader: what is written is read back and checked, a flipped byte is
 * caught and the entry named, by this code and by {@code sha256sum -c} after {@code tar -xf}.
 */
class BackupArchiveTest {

  @TempDir Path dir;

  /** An archive's inputs: a snapshot's bytes and three files. */
  static final class Sample {
    final byte[] snapshot;
    final Map<String, byte[]> blobs = new LinkedHashMap<>();

    Sample(long seed) {
      var random = new Random(seed);
      snapshot = new byte[5000];
      random.nextBytes(snapshot);
      for (int size : new int[] {1, 512, 100_000}) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        blobs.put(BackupArchive.sha256(bytes), bytes);
      }
    }

    BackupManifest manifest() {
      return new BackupManifest(
          BackupManifest.FORMAT,
          "0.1.0-test",
          Instant.parse("2024-03-01T12:00:00Z"),
          "6c6d7300-0000-4000-8000-000000000001",
          "n2",
          3,
          1234,
          snapshot.length,
          BackupArchive.sha256(snapshot),
          "d".repeat(64),
          Map.of("users", 3L, "courses", 1L),
          blobs.size(),
          blobs.values().stream().mapToLong(b -> b.length).sum());
    }

    BackupArchive.Writer writer() {
      return writer(manifest());
    }

    BackupArchive.Writer writer(BackupManifest manifest) {
      var parts = new ArrayList<BackupArchive.Part>();
      blobs.forEach(
          (sha, bytes) ->
              parts.add(
                  BackupArchive.Part.blob(
                      sha, bytes.length, () -> new ByteArrayInputStream(bytes))));
      return new BackupArchive.Writer(
          manifest,
          new BackupArchive.Part(
              BackupArchive.SNAPSHOT,
              snapshot.length,
              BackupArchive.sha256(snapshot),
              () -> new ByteArrayInputStream(snapshot)),
          parts);
    }

    byte[] archive() throws IOException {
      var out = new ByteArrayOutputStream();
      writer().writeTo(out, 1_709_294_400L);
      return out.toByteArray();
    }
  }

  @Test
  void whatIsWrittenIsReadBackAndChecked() throws IOException {
    var sample = new Sample(1);
    var writer = sample.writer();
    var out = new ByteArrayOutputStream();
    writer.writeTo(out, 1_709_294_400L);
    byte[] archive = out.toByteArray();
    assertThat((long) archive.length).isEqualTo(writer.length());

    var seen = new LinkedHashMap<String, byte[]>();
    BackupArchive.Contents contents =
        BackupArchive.read(
            new ByteArrayInputStream(archive),
            (name, size, content) -> seen.put(name, content.readAllBytes()));

    assertThat(contents.manifest()).isEqualTo(sample.manifest());
    assertThat(contents.blobs()).containsExactlyElementsOf(sample.blobs.keySet());
    assertThat(seen.keySet())
        .containsExactly(
            BackupArchive.MANIFEST,
            BackupArchive.SNAPSHOT,
            "blobs/" + contents.blobs().get(0),
            "blobs/" + contents.blobs().get(1),
            "blobs/" + contents.blobs().get(2));
    assertThat(seen.get(BackupArchive.SNAPSHOT)).isEqualTo(sample.snapshot);
    sample.blobs.forEach((sha, bytes) -> assertThat(seen.get("blobs/" + sha)).isEqualTo(bytes));
    assertThat(new String(seen.get(BackupArchive.MANIFEST), StandardCharsets.UTF_8))
        .contains("\"snapshotIndex\": 1234")
        .contains("\"kind\": \"lms-backup\"");
  }

  @Test
  void aFlippedByteInAnyEntryIsCaughtAndTheEntryNamed() throws IOException {
    var sample = new Sample(2);
    byte[] archive = sample.archive();
    String blob = sample.blobs.keySet().stream().skip(2).findFirst().orElseThrow();
    for (String entry : List.of(BackupArchive.SNAPSHOT, "blobs/" + blob)) {
      byte[] damaged = archive.clone();
      damaged[contentOffset(archive, entry) + 100] ^= 0x10;

      assertThatThrownBy(() -> BackupArchive.verify(new ByteArrayInputStream(damaged)))
          .as(entry)
          .isInstanceOf(BackupArchiveException.class)
          .hasMessageStartingWith(entry + ": checksum mismatch");
    }
  }

  @Test
  void aChangedManifestIsCaught() throws IOException {
    var sample = new Sample(3);
    byte[] archive = sample.archive();
    byte[] damaged = archive.clone();
    int at = indexOf(damaged, "1234".getBytes(StandardCharsets.US_ASCII));
    damaged[at] = '9'; // snapshotIndex 9234: still JSON, no longer the manifest summed

    assertThatThrownBy(() -> BackupArchive.verify(new ByteArrayInputStream(damaged)))
        .hasMessageStartingWith(BackupArchive.MANIFEST + ": checksum mismatch");
  }

  @Test
  void sha256sumChecksAnExtractedArchiveAndNamesTheDamagedEntry() throws Exception {
    var sample = new Sample(4);
    byte[] archive = sample.archive();
    Path good = Files.createDirectory(dir.resolve("good"));
    Files.write(dir.resolve("good.tar"), archive);
    TarTest.run(good, "tar", "-xf", dir.resolve("good.tar").toString());
    assertThat(TarTest.run(good, "sha256sum", "-c", BackupArchive.SUMS))
        .contains(BackupArchive.MANIFEST + ": OK")
        .contains(BackupArchive.SNAPSHOT + ": OK");

    byte[] damaged = archive.clone();
    damaged[contentOffset(archive, BackupArchive.SNAPSHOT)] ^= 1;
    Path bad = Files.createDirectory(dir.resolve("bad"));
    Files.write(dir.resolve("bad.tar"), damaged);
    TarTest.run(bad, "tar", "-xf", dir.resolve("bad.tar").toString());
    Process check =
        new ProcessBuilder("sha256sum", "-c", BackupArchive.SUMS)
            .directory(bad.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor()).isEqualTo(1);
    assertThat(output).contains(BackupArchive.SNAPSHOT + ": FAILED");
  }

  @Test
  void anArchiveCutShortIsRefused() throws IOException {
    byte[] archive = new Sample(5).archive();
    int sums = contentOffset(archive, BackupArchive.SUMS) - Tar.BLOCK;

    // cut before SHA256SUMS: every entry is whole, yet nothing vouches for them
    assertThatThrownBy(() -> verifyTar(Arrays.copyOf(archive, sums)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
    byte[] withoutSums = Arrays.copyOf(archive, sums + 2 * Tar.BLOCK); // a proper end marker
    Arrays.fill(withoutSums, sums, withoutSums.length, (byte) 0);
    assertThatThrownBy(() -> verifyTar(withoutSums))
        .hasMessageContaining("no " + BackupArchive.SUMS);
  }

  @Test
  void anEntryNotListedOrNotBelongingIsRefused() throws IOException {
    var sample = new Sample(6);
    byte[] snapshot = sample.snapshot;
    var out = new ByteArrayOutputStream();
    var tar = new Tar.Writer(out, 0);
    byte[] manifest = sample.manifest().toJson();
    tar.write(BackupArchive.MANIFEST, manifest.length, new ByteArrayInputStream(manifest));
    tar.write("notes.txt", 2, new ByteArrayInputStream(new byte[2]));
    tar.finish();

    assertThatThrownBy(() -> verifyTar(out.toByteArray()))
        .hasMessageContaining("notes.txt does not belong");

    var sumsOnly = new ByteArrayOutputStream();
    tar = new Tar.Writer(sumsOnly, 0);
    tar.write(BackupArchive.MANIFEST, manifest.length, new ByteArrayInputStream(manifest));
    tar.write(BackupArchive.SNAPSHOT, snapshot.length, new ByteArrayInputStream(snapshot));
    byte[] sums =
        (BackupArchive.sha256(manifest) + "  " + BackupArchive.MANIFEST + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    tar.write(BackupArchive.SUMS, sums.length, new ByteArrayInputStream(sums));
    tar.finish();

    assertThatThrownBy(() -> verifyTar(sumsOnly.toByteArray()))
        .hasMessage(BackupArchive.SNAPSHOT + ": not listed in " + BackupArchive.SUMS);
  }

  @Test
  void aFileWhoseBytesChangedOnDiskStopsTheWriterNamingIt() {
    var sample = new Sample(7);
    String sha = sample.blobs.keySet().iterator().next();
    byte[] other = new byte[sample.blobs.get(sha).length];
    var writer =
        new BackupArchive.Writer(
            sample.manifest(),
            new BackupArchive.Part(
                BackupArchive.SNAPSHOT,
                sample.snapshot.length,
                BackupArchive.sha256(sample.snapshot),
                () -> new ByteArrayInputStream(sample.snapshot)),
            List.of(
                BackupArchive.Part.blob(sha, other.length, () -> new ByteArrayInputStream(other))));

    assertThatThrownBy(() -> writer.writeTo(new ByteArrayOutputStream(), 0))
        .isInstanceOf(BackupArchiveException.class)
        .hasMessageStartingWith("blobs/" + sha + ": the bytes on this node hash to");
  }

  @Test
  void aManifestOfAnotherFormatIsRefusedWithTheFormats() {
    String json =
        new String(new Sample(8).manifest().toJson(), StandardCharsets.UTF_8)
            .replace("\"format\": 1", "\"format\": 2");

    assertThatThrownBy(() -> BackupManifest.parse(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessage("the archive has format 2; this LMS reads format 1");
  }

  private static void verifyTar(byte[] archive) throws IOException {
    BackupArchive.verify(new ByteArrayInputStream(archive));
  }

  /** Where the content of {@code entry} starts in {@code archive}. */
  static int contentOffset(byte[] archive, String entry) throws IOException {
    int offset = 0;
    while (offset + Tar.BLOCK <= archive.length) {
      String name = new String(archive, offset, 100, StandardCharsets.UTF_8).replace("\0", "");
      long size =
          Long.parseLong(new String(archive, offset + 124, 11, StandardCharsets.US_ASCII), 8);
      if (name.equals(entry)) {
        return offset + Tar.BLOCK;
      }
      offset += (int) Tar.entryLength(size);
    }
    throw new IOException("no entry " + entry);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
