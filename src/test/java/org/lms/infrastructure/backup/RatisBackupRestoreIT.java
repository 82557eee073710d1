package org.lms.infrastructure.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lms.application.port.BlobStore;
import org.lms.domain.command.Command;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.model.Material;
import org.lms.domain.model.Role;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.raft.RatisSettings;
import org.lms.testing.RatisCluster;
import org.lms.testing.SampleCommands;

/**
 * A backup and a restore through real Ratis peers in this JVM: a follower of one cluster writes the
 * archive (fetching the files it lacks), a new cluster seeded from it elects a leader in a term
 * above the snapshot's, holds exactly the backed-up state and files, and takes new writes; a
 * restarted restored peer catches up. The process-level test (BackupRestoreIT) does the same
 * through {@code ./lms}; this one shows the Raft side in seconds.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RatisBackupRestoreIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The bytes of the three files SampleCommands references (their hashes are of these texts). */
  private static final List<String> FILES =
      List.of("raft-extended.pdf bytes", "lab1-alice.zip bytes", "lab1-bob.tar.gz bytes");

  @TempDir Path dir;

  @Test
  void aFollowersBackupRestoresIntoANewClusterThatGoesOn() throws Exception {
    Path archive = dir.resolve("backup.tar");
    BackupManifest manifest;
    var restoredFiles = new HashSet<String>();
    try (var a = RatisCluster.start(1000)) {
      int leader = a.awaitLeader(WAIT);
      long last = 0;
      for (Command command : SampleCommands.oneOfEach()) {
        last = a.gateway(leader).submit(command).orThrow();
      }
      a.awaitAllApplied(last, WAIT);
      int follower = a.anyFollower(WAIT);
      // the follower holds one file itself; the leader holds the other two
      FileBlobStore own = new FileBlobStore(a.config(follower).fileStorageDir());
      FileBlobStore peer = new FileBlobStore(a.config(leader).fileStorageDir());
      put(own, FILES.get(0));
      put(peer, FILES.get(1));
      put(peer, FILES.get(2));
      var backup =
          new NodeBackup(
              a.config(follower).nodeId(),
              a.node(follower),
              own,
              fetchingFrom(own, peer),
              "0.1.0-test",
              Clock.fixed(Instant.parse("2025-12-24T18:00:00Z"), ZoneOffset.UTC));

      long length;
      try (NodeBackup.PreparedBackup prepared = backup.prepare();
          OutputStream out = Files.newOutputStream(archive)) {
        prepared.writeTo(out);
        manifest = prepared.manifest();
        length = prepared.length();
      }
      assertThat(Files.size(archive)).isEqualTo(length);
      assertThat(manifest.sourceNode()).isEqualTo(a.config(follower).nodeId());
      assertThat(manifest.snapshotIndex()).isGreaterThanOrEqualTo(last);
      assertThat(manifest.snapshotTerm()).isPositive();
      // the files the state references now: not the material removed again
      var referenced = new HashSet<String>();
      a.store(follower).find(Material.class).forEach(m -> referenced.add(m.sha256()));
      a.store(follower).find(Submission.class).forEach(s -> referenced.add(s.sha256()));
      assertThat(referenced).hasSizeBetween(1, FILES.size() - 1);
      try (InputStream in = Files.newInputStream(archive)) {
        assertThat(BackupArchive.verify(in).blobs())
            .containsExactlyInAnyOrderElementsOf(referenced);
      }
      assertThat(manifest.blobCount()).isEqualTo(referenced.size());
      restoredFiles.addAll(referenced);
      // the cluster is quiet: the manifest's digest is the one every node shows now
      assertThat(new HashSet<>(a.digests())).containsExactly(manifest.stateDigest());
      referenced.forEach(sha -> assertThat(own.has(sha)).as("fetched " + sha).isTrue());

      // a write after the backup, which the restored cluster must not have
      a.gateway(leader).submit(user("after-backup")).orThrow();
    }
    try (InputStream in = Files.newInputStream(archive)) {
      assertThat(BackupArchive.verify(in).manifest()).isEqualTo(manifest);
    }

    try (var b =
        RatisCluster.startSeeded(
            1000,
            config ->
                new ArchiveSeed(
                    archive,
                    config.dataDir().resolve("restore"),
                    files(config),
                    RatisSettings.LMS_GROUP_ID))) {
      int leader = b.awaitLeader(WAIT);
      b.awaitAllApplied(manifest.snapshotIndex(), WAIT);
      assertThat(b.digests()).containsOnly(manifest.stateDigest());
      assertThat(b.status(leader).local().term()).isGreaterThan(manifest.snapshotTerm());
      for (int i = 0; i < b.size(); i++) {
        assertThat(b.store(i).get(User.class, "u-after-backup")).isEmpty();
        FileBlobStore files = files(b.config(i));
        for (String file : FILES) {
          String sha = SampleCommands.sha256(file);
          if (!restoredFiles.contains(sha)) {
            assertThat(files.has(sha)).as("a file no longer referenced").isFalse();
            continue;
          }
          try (InputStream in = files.open(sha)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(file);
          }
        }
      }

      // the restored cluster takes new writes, and a restarted peer catches up
      long written = b.gateway(leader).submit(user("after-restore")).orThrow();
      assertThat(written).isGreaterThan(manifest.snapshotIndex());
      int other = (leader + 1) % b.size();
      b.kill(other);
      long more = b.gateway(leader).submit(user("while-one-is-down")).orThrow();
      b.restart(other, RatisCluster.Wipe.NOTHING);
      b.awaitAllApplied(more, WAIT);
      assertThat(new HashSet<>(b.digests())).hasSize(1);
      assertThat(b.store(other).get(User.class, "u-while-one-is-down")).isPresent();
    }
  }

  private static FileBlobStore files(NodeConfig config) {
    try {
      return new FileBlobStore(config.fileStorageDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(FileBlobStore store, String text) throws IOException {
    store.put(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20);
  }

  /** The replicated store's fetch, with {@code peer} as the only peer: copied and hash-checked. */
  private static BlobStore fetchingFrom(FileBlobStore own, FileBlobStore peer) {
    return new BlobStore() {
      @Override
      public StoredBlob put(InputStream in, long maxBytes) {
        throw new UnsupportedOperationException();
      }

      @Override
      public InputStream open(String sha256) throws IOException {
        if (!own.has(sha256)) {
          if (!peer.has(sha256)) {
            throw new BlobNotFoundException(sha256);
          }
          try (InputStream in = peer.open(sha256);
              FileBlobStore.Upload upload = own.beginUpload(peer.size(sha256))) {
            upload.writeAll(in);
            upload.commit(sha256);
          }
        }
        return own.open(sha256);
      }

      @Override
      public boolean hasLocally(String sha256) {
        return own.has(sha256);
      }
    };
  }

  private static RegisterUser user(String name) {
    return new RegisterUser(
        "u-" + name,
        name,
        "Someone " + name,
        Role.STUDENT,
        "pbkdf2-hash-of-" + name,
        SampleCommands.ADMIN,
        Instant.parse("2025-12-01T10:00:00Z"));
  }
}
