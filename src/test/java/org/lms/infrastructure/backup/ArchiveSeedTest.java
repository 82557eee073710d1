package org.lms.infrastructure.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.raft.RatisSettings;
import org.lms.infrastructure.raft.SnapshotSeed;

/** A node's side of a restore: what it takes from an archive, and what it refuses. */
class ArchiveSeedTest {

  @TempDir Path dir;

  @Test
  void aWholeArchiveGivesItsFilesAndItsSnapshot() throws Exception {
    var sample = new BackupArchiveTest.Sample(11);
    Path archive = dir.resolve("backup.tar");
    Files.write(archive, sample.archive());
    var files = new FileBlobStore(dir.resolve("files"));

    SnapshotSeed.Seed seed =
        new ArchiveSeed(archive, dir.resolve("restore"), files, RatisSettings.LMS_GROUP_ID)
            .prepare();

    assertThat(seed.term()).isEqualTo(3);
    assertThat(seed.index()).isEqualTo(1234);
    assertThat(seed.file()).hasBinaryContent(sample.snapshot);
    for (var blob : sample.blobs.entrySet()) {
      try (var in = files.open(blob.getKey())) {
        assertThat(in.readAllBytes()).isEqualTo(blob.getValue());
      }
    }
  }

  @Test
  void aDamagedArchiveGivesNoSnapshotAndNamesTheEntry() throws Exception {
    var sample = new BackupArchiveTest.Sample(12);
    byte[] archive = sample.archive();
    archive[BackupArchiveTest.contentOffset(archive, BackupArchive.SNAPSHOT) + 7] ^= 4;
    Path file = dir.resolve("damaged.tar");
    Files.write(file, archive);
    Path staging = dir.resolve("restore");

    var seed =
        new ArchiveSeed(
            file, staging, new FileBlobStore(dir.resolve("files")), RatisSettings.LMS_GROUP_ID);

    assertThatThrownBy(seed::prepare)
        .isInstanceOf(BackupArchiveException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(BackupArchive.SNAPSHOT + ": checksum mismatch");
    try (var left = Files.list(staging)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aDamagedFileIsNeverStored() throws Exception {
    var sample = new BackupArchiveTest.Sample(13);
    byte[] archive = sample.archive();
    String sha = sample.blobs.keySet().iterator().next();
    archive[BackupArchiveTest.contentOffset(archive, "blobs/" + sha)] ^= 1;
    Path file = dir.resolve("damaged.tar");
    Files.write(file, archive);
    var files = new FileBlobStore(dir.resolve("files"));

    assertThatThrownBy(
            () ->
                new ArchiveSeed(file, dir.resolve("restore"), files, RatisSettings.LMS_GROUP_ID)
                    .prepare())
        .hasMessageContaining("blobs/" + sha + ": expected bytes hashing to " + sha);
    assertThat(files.has(sha)).isFalse();
  }

  @Test
  void anArchiveOfAnotherRaftGroupIsRefused() throws Exception {
    Path archive = dir.resolve("backup.tar");
    Files.write(archive, new BackupArchiveTest.Sample(14).archive());
    UUID other = UUID.fromString("00000000-0000-4000-8000-000000000002");

    assertThatThrownBy(
            () ->
                new ArchiveSeed(
                        archive,
                        dir.resolve("restore"),
                        new FileBlobStore(dir.resolve("files")),
                        other)
                    .prepare())
        .hasMessageContaining("this cluster's group is " + other);
  }

  @Test
  void aMissingArchiveIsNamed() {
    Path missing = dir.resolve("nowhere.tar");
    assertThatThrownBy(
            () ->
                new ArchiveSeed(
                        missing,
                        dir.resolve("restore"),
                        new FileBlobStore(dir.resolve("files")),
                        RatisSettings.LMS_GROUP_ID)
                    .prepare())
        .hasMessageContaining(missing + " is not a readable file");
  }
}
