package org.lms.infrastructure.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The USTAR subset, against itself and against GNU tar, the tool operators will use. */
class TarTest {

  @TempDir Path dir;

  @Test
  void whatItWritesItReadsBackEntryByEntry() throws IOException {
    Map<String, byte[]> files = sample();
    byte[] archive = write(files);

    assertThat(read(archive)).containsExactlyEntriesOf(files);
    long expected = Tar.endLength();
    for (byte[] content : files.values()) {
      expected += Tar.entryLength(content.length);
    }
    assertThat(archive).hasSize((int) expected);
  }

  @Test
  void gnuTarListsAndExtractsWhatItWrites() throws Exception {
    Map<String, byte[]> files = sample();
    Path archive = dir.resolve("a.tar");
    Files.write(archive, write(files));

    String listing = run(dir, "tar", "-tvf", archive.toString());
    assertThat(listing.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)))
        .containsExactlyElementsOf(files.keySet());
    assertThat(listing).contains("-rw-r--r--").contains("2024-03-01");

    Path out = Files.createDirectory(dir.resolve("out"));
    run(out, "tar", "-xf", archive.toString());
    for (var e : files.entrySet()) {
      assertThat(out.resolve(e.getKey())).hasBinaryContent(e.getValue());
    }
  }

  @Test
  void readsWhatGnuTarWrites() throws Exception {
    Path in = Files.createDirectory(dir.resolve("in"));
    Files.createDirectory(in.resolve("blobs"));
    Files.writeString(in.resolve("manifest.json"), "{}");
    Files.write(in.resolve("blobs/one"), new byte[1000]);
    Path archive = dir.resolve("gnu.tar");
    run(in, "tar", "--format=ustar", "-cf", archive.toString(), "manifest.json", "blobs");

    Map<String, byte[]> read = read(Files.readAllBytes(archive));

    // the directory entry blobs/ is skipped
    assertThat(read.keySet()).containsExactly("manifest.json", "blobs/one");
    assertThat(read.get("blobs/one")).hasSize(1000);
  }

  @Test
  void aDamagedHeaderIsRefusedNamingTheEntry() throws IOException {
    byte[] archive = write(sample());
    archive[20] ^= 1; // inside the first header's name field

    assertThatThrownBy(() -> read(archive))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("header")
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aTruncatedArchiveIsRefused() throws IOException {
    byte[] archive = write(sample());

    for (int cut : new int[] {Tar.BLOCK + 10, archive.length - 2 * Tar.BLOCK, 700}) {
      byte[] shorter = java.util.Arrays.copyOf(archive, cut);
      assertThatThrownBy(() -> read(shorter))
          .as("cut at %d", cut)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void sizesFromEightGibibytesUseTheBase256FormGnuTarReads() throws IOException {
    long size = 9L << 30;
    byte[] header = Tar.header("big", size, 0);
    assertThat(header[124] & 0xff).isEqualTo(0x80);

    var reader = new Tar.Reader(new ByteArrayInputStream(header));
    Tar.Entry entry = reader.next();
    assertThat(entry.name()).isEqualTo("big");
    assertThat(entry.size()).isEqualTo(size);
  }

  @Test
  void namesLongerThanAHeaderHoldsAreRefused() {
    assertThatThrownBy(() -> Tar.header("x".repeat(101), 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Map<String, byte[]> sample() {
    var files = new LinkedHashMap<String, byte[]>();
    files.put("manifest.json", "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
    files.put("empty", new byte[0]);
    files.put("blobs/" + "a".repeat(64), new byte[Tar.BLOCK]);
    byte[] odd = new byte[70_001];
    new java.util.Random(7).nextBytes(odd);
    files.put("blobs/" + "b".repeat(64), odd);
    return files;
  }

  private static byte[] write(Map<String, byte[]> files) throws IOException {
    var out = new ByteArrayOutputStream();
    var tar = new Tar.Writer(out, 1_709_294_400L); // 2024-03-01T12:00:00Z
    for (var e : files.entrySet()) {
      tar.write(e.getKey(), e.getValue().length, new ByteArrayInputStream(e.getValue()));
    }
    tar.finish();
    return out.toByteArray();
  }

  private static Map<String, byte[]> read(byte[] archive) throws IOException {
    var reader = new Tar.Reader(new ByteArrayInputStream(archive));
    var files = new LinkedHashMap<String, byte[]>();
    Tar.Entry entry;
    while ((entry = reader.next()) != null) {
      files.put(entry.name(), entry.content().readAllBytes());
    }
    return files;
  }

  static String run(Path dir, String... command) throws Exception {
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    return output;
  }
}
