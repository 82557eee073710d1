package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lms.infrastructure.backup.BackupArchive;
import org.lms.infrastructure.backup.BackupManifest;

/**
 * {@code ./lms backup} and {@code ./lms restore} where they refuse, run for real without a cluster:
 * an archive is checked with tar and sha256sum before anything is written, a damaged one is refused
 * with the entry named, a data directory that holds a cluster is never restored into. (The whole
 * way, with Payara nodes: BackupRestoreIT.)
 */
class BackupCommandsTest {

  private static final Path PROJECT = Path.of("").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void helpListsBackupAndRestore() throws Exception {
    Run help = lms(dir.resolve("data"), "help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout())
        .containsPattern("(?m)^  backup \\[FILE\\] ")
        .containsPattern("(?m)^  restore FILE ")
        .contains("LMS_BACKUP_DIR");
    assertThat(LauncherScript.in(PROJECT).function("main"))
        .contains("backup) cmd_backup")
        .contains("restore) cmd_restore");
  }

  @Test
  void aDamagedArchiveIsRefusedNamingTheEntryAndNothingIsWritten() throws Exception {
    byte[] archive = archive();
    int snapshot = contentOffset(archive, BackupArchive.SNAPSHOT);
    archive[snapshot + 3] ^= 0x20;
    Path file = dir.resolve("damaged.tar");
    Files.write(file, archive);
    Path data = dir.resolve("data");

    Run restore = lms(data, "restore", file.toString());

    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.stderr())
        .contains(file + " is damaged: " + BackupArchive.SNAPSHOT + ": checksum mismatch");
    assertThat(data).doesNotExist();
  }

  @Test
  void aTruncatedArchiveIsRefused() throws Exception {
    byte[] archive = archive();
    Path file = dir.resolve("short.tar");
    Files.write(file, java.util.Arrays.copyOf(archive, archive.length / 2));
    Path data = dir.resolve("data");

    Run restore = lms(data, "restore", file.toString());

    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.stderr()).contains(file + " is not a readable tar archive");
    assertThat(data).doesNotExist();
  }

  @Test
  void aWholeArchiveIsNotRestoredIntoADirectoryThatHoldsACluster() throws Exception {
    Path file = dir.resolve("backup.tar");
    Files.write(file, archive());
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("cluster-secret"), "an-existing-clusters-secret");

    Run restore = lms(data, "restore", file.toString());

    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.stderr())
        .contains(data + " already holds a cluster (cluster-secret)")
        .contains("choose an empty LMS_DATA_DIR");
    try (var files = Files.list(data)) {
      assertThat(files).containsExactly(data.resolve("cluster-secret"));
    }
  }

  @Test
  void aFileThatIsNotABackupIsRefused() throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "not an archive");

    Run restore = lms(dir.resolve("data"), "restore", file.toString());
    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.stderr()).contains("not a readable tar archive");

    Run missing = lms(dir.resolve("data"), "restore", dir.resolve("nowhere.tar").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("nowhere.tar is not a readable file");
  }

  @Test
  void backupWithoutAClusterSaysSo() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));

    Run backup = lms(data, "backup", dir.resolve("b.tar").toString());

    assertThat(backup.exitCode()).isEqualTo(1);
    assertThat(backup.stderr()).contains("backup: no cluster in " + data);
    assertThat(dir.resolve("b.tar")).doesNotExist();
  }

  /** A whole archive of a made-up state: a snapshot's worth of bytes and two files. */
  private static byte[] archive() throws IOException {
    byte[] snapshot = "not parsed by the launcher".getBytes(StandardCharsets.UTF_8);
    List<byte[]> files = List.of(new byte[700], "a text".getBytes(StandardCharsets.UTF_8));
    var parts = new ArrayList<BackupArchive.Part>();
    long bytes = 0;
    for (byte[] f : files) {
      parts.add(BackupArchive.Part.blob(sha256(f), f.length, () -> new ByteArrayInputStream(f)));
      bytes += f.length;
    }
    var manifest =
        new BackupManifest(
            BackupManifest.FORMAT,
            "test",
            Instant.parse("2025-01-01T00:00:00Z"),
            "6c6d7300-0000-4000-8000-000000000001",
            "n1",
            2,
            40,
            snapshot.length,
            sha256(snapshot),
            "e".repeat(64),
            Map.of("users", 2L),
            files.size(),
            bytes);
    var out = new ByteArrayOutputStream();
    new BackupArchive.Writer(
            manifest,
            new BackupArchive.Part(
                BackupArchive.SNAPSHOT,
                snapshot.length,
                sha256(snapshot),
                () -> new ByteArrayInputStream(snapshot)),
            parts)
        .writeTo(out, 1_735_689_600L);
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where the content of {@code entry} starts in a tar archive. */
  private static int contentOffset(byte[] archive, String entry) throws IOException {
    int offset = 0;
    while (offset + 512 <= archive.length) {
      String name = new String(archive, offset, 100, StandardCharsets.UTF_8).replace("\0", "");
      long size =
          Long.parseLong(new String(archive, offset + 124, 11, StandardCharsets.US_ASCII), 8);
      if (name.equals(entry)) {
        return offset + 512;
      }
      offset += 512 + (int) ((size + 511) / 512 * 512);
    }
    throw new IOException("no entry " + entry);
  }

  record Run(int exitCode, String stdout, String stderr) {}

  private Run lms(Path data, String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add(PROJECT.resolve("lms").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    var builder =
        new ProcessBuilder(command)
            .directory(PROJECT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("LMS_"));
    builder.environment().put("LMS_DATA_DIR", data.toString());
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("./lms " + String.join(" ", args) + " did not end within 60 s");
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
