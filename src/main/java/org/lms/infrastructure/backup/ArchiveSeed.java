package org.lms.infrastructure.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.UUID;
import org.lms.infrastructure.blobs.BlobHashMismatchException;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.raft.SnapshotSeed;

/**
 * Seeds a node of a new cluster from a backup archive ({@code LMS_RESTORE_FROM}): reads the whole
 * archive once, puts every file into this node's file store (each checked against its name, as any
 * upload is), stages the snapshot beside the node's data, and hands the snapshot to Raft only when
 * every checksum of the archive held. A damaged archive leaves at most some verified files behind,
 * which the content-addressed store would have accepted anyway, and no state.
 */
public final class ArchiveSeed implements SnapshotSeed {

  private final Path archive;
  private final Path stagingDir;
  private final FileBlobStore files;
  private final UUID groupId;

  /**
   * @param archive the backup archive
   * @param stagingDir a directory on the file system of the node's Raft storage, for the snapshot
   *     until Raft takes it
   * @param files this node's own file store
   * @param groupId the Raft group of this cluster; an archive of another group is refused
   */
  public ArchiveSeed(Path archive, Path stagingDir, FileBlobStore files, UUID groupId) {
    this.archive = Objects.requireNonNull(archive, "archive");
    this.stagingDir = Objects.requireNonNull(stagingDir, "stagingDir");
    this.files = Objects.requireNonNull(files, "files");
    this.groupId = Objects.requireNonNull(groupId, "groupId");
  }

  @Override
  public Seed prepare() throws IOException {
    if (!Files.isRegularFile(archive) || !Files.isReadable(archive)) {
      throw new BackupArchiveException("the backup archive " + archive + " is not a readable file");
    }
    Files.createDirectories(stagingDir);
    Path staged = stagingDir.resolve("snapshot.restoring");
    Files.deleteIfExists(staged);
    BackupArchive.Contents contents;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
      contents = BackupArchive.read(in, (name, size, content) -> take(name, size, content, staged));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(staged);
      throw new BackupArchiveException(
          "the backup archive " + archive + " cannot be restored: " + e.getMessage(), e);
    }
    BackupManifest manifest = contents.manifest();
    return new Seed(staged, manifest.snapshotTerm(), manifest.snapshotIndex());
  }

  private void take(String name, long size, InputStream content, Path staged) throws IOException {
    if (BackupArchive.MANIFEST.equals(name)) {
      BackupManifest manifest = BackupManifest.parse(content.readAllBytes());
      if (!groupId.toString().equals(manifest.raftGroupId())) {
        throw new BackupArchiveException(
            "it is a backup of Raft group "
                + manifest.raftGroupId()
                + ", this cluster's group is "
                + groupId);
      }
    } else if (BackupArchive.SNAPSHOT.equals(name)) {
      Files.copy(content, staged, StandardCopyOption.REPLACE_EXISTING);
    } else {
      String sha256 = name.substring(BackupArchive.BLOB_DIR.length());
      if (files.has(sha256)) {
        return; // the reader still hashes the entry for SHA256SUMS
      }
      try (FileBlobStore.Upload upload = files.beginUpload(size)) {
        upload.writeAll(content);
        upload.commit(sha256);
      } catch (BlobHashMismatchException e) {
        throw new BackupArchiveException(name + ": " + e.getMessage(), e);
      }
    }
  }
}
