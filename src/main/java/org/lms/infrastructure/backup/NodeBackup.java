package org.lms.infrastructure.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lms.application.port.BlobStore;
import org.lms.application.port.ClusterStatus;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.lms.infrastructure.mongo.MongoStateStore.SnapshotSummary;
import org.lms.infrastructure.raft.RatisNode;

/**
 * Takes a backup on this node while the cluster keeps serving: a fresh Raft snapshot of this node's
 * store (consistent at one applied index, taken on the apply thread), every file that state
 * references (fetched from a peer and hash-checked when this node lacks one), and a manifest, ready
 * to be streamed as one {@link BackupArchive}.
 */
public final class NodeBackup {

  /** How long taking the snapshot may last; a large store is dumped at disk speed. */
  public static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(5);

  /** How often the snapshot is taken again when Ratis deleted it before it could be opened. */
  private static final int SNAPSHOT_ATTEMPTS = 3;

  private final String nodeId;
  private final RatisNode raft;
  private final FileBlobStore files;
  private final BlobStore blobs;
  private final String lmsVersion;
  private final Clock clock;

  /**
   * @param files this node's own files, which the archive is written from
   * @param blobs the replicated store, which fetches a file this node lacks from a peer
   */
  public NodeBackup(
      String nodeId,
      RatisNode raft,
      FileBlobStore files,
      BlobStore blobs,
      String lmsVersion,
      Clock clock) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.raft = Objects.requireNonNull(raft, "raft");
    this.files = Objects.requireNonNull(files, "files");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.lmsVersion = Objects.requireNonNull(lmsVersion, "lmsVersion");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Why a node in {@code status} must not take a backup now, or empty: it must be ready (a leader
   * known, its store close to the commit index), so that the backup is of the cluster's current
   * state and not of a node left behind.
   */
  public static Optional<String> refusal(ClusterStatus.NodeStatus status) {
    if (status.isDown()) {
      return Optional.of("the Raft server of " + status.nodeId() + " is not running");
    }
    if (status.leaderId().isEmpty()) {
      return Optional.of(
          status.nodeId() + " knows no leader (are a majority of the nodes up?); try again later");
    }
    if (!status.ready()) {
      return Optional.of(
          status.nodeId()
              + " is not ready: it has applied "
              + status.appliedIndex()
              + " of "
              + status.commitIndex()
              + " committed entries; try again later or on another node");
    }
    return Optional.empty();
  }

  /**
   * Takes the snapshot, sums it up, makes sure every file it references is on this node, and
   * returns the archive ready to write. Close what it returns.
   *
   * @throws BackupUnavailableException when this node cannot take a backup now (not ready, a file
   *     on no reachable node, the snapshot not taken): the reason is fit for the operator
   */
  public PreparedBackup prepare() throws IOException {
    Optional<String> refused = refusal(raft.status().local());
    if (refused.isPresent()) {
      throw new BackupUnavailableException(refused.get());
    }
    Instant createdAt = clock.instant();
    RatisNode.SnapshotFile snapshot = null;
    FileChannel channel = null;
    for (int attempt = 1; channel == null; attempt++) {
      try {
        snapshot = raft.snapshot(1, SNAPSHOT_TIMEOUT);
      } catch (IOException e) {
        throw new BackupUnavailableException(
            nodeId + " could not take a snapshot: " + e.getMessage());
      }
      try {
        // open at once: Ratis may delete the file for a newer one, an open file stays readable
        channel = FileChannel.open(snapshot.path(), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        if (attempt >= SNAPSHOT_ATTEMPTS) {
          throw new BackupUnavailableException(
              "snapshots are taken faster than this node can open them; try again");
        }
      }
    }
    try {
      return prepare(snapshot, channel, createdAt);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private PreparedBackup prepare(
      RatisNode.SnapshotFile snapshot, FileChannel channel, Instant createdAt) throws IOException {
    long size = channel.size();
    MessageDigest sha256 = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    SnapshotSummary summary;
    try (InputStream raw =
        new DigestInputStream(
            new DigestInputStream(new BufferedInputStream(from(channel), 1 << 16), sha256), md5)) {
      summary = MongoStateStore.summarizeSnapshot(raw);
      raw.transferTo(OutputStream.nullOutputStream()); // the hashes cover the whole file
    }
    String md5Hex = HexFormat.of().formatHex(md5.digest());
    if (snapshot.md5() != null && !snapshot.md5().equalsIgnoreCase(md5Hex)) {
      throw new BackupUnavailableException(
          "the snapshot file "
              + snapshot.path()
              + " does not match the MD5 Ratis saved for it (damaged on disk?)");
    }
    String snapshotSha256 = HexFormat.of().formatHex(sha256.digest());

    var parts = new ArrayList<BackupArchive.Part>();
    long blobBytes = 0;
    for (String sha : summary.blobs()) {
      holdLocally(sha);
      long blobSize = files.size(sha);
      parts.add(BackupArchive.Part.blob(sha, blobSize, () -> files.open(sha)));
      blobBytes += blobSize;
    }
    var manifest =
        new BackupManifest(
            BackupManifest.FORMAT,
            lmsVersion,
            createdAt,
            raft.groupId().toString(),
            nodeId,
            snapshot.term(),
            snapshot.index(),
            size,
            snapshotSha256,
            summary.digest(),
            summary.collections(),
            parts.size(),
            blobBytes);
    var snapshotPart =
        new BackupArchive.Part(BackupArchive.SNAPSHOT, size, snapshotSha256, () -> from(channel));
    return new PreparedBackup(
        manifest, new BackupArchive.Writer(manifest, snapshotPart, List.copyOf(parts)), channel);
  }

  /** Fetches {@code sha256} from a peer (hash-checked) unless this node holds it. */
  private void holdLocally(String sha256) throws IOException {
    if (files.has(sha256)) {
      return;
    }
    try (InputStream fetched = blobs.open(sha256)) {
      // open() fetched and verified the bytes into this node's store; nothing to read here
    } catch (BlobStore.BlobNotFoundException e) {
      throw new BackupUnavailableException(
          "the file " + sha256 + " that the state references is on no reachable node");
    }
    if (!files.has(sha256)) {
      throw new BackupUnavailableException("the file " + sha256 + " could not be fetched here");
    }
  }

  /** Reads {@code channel} from its start without moving or closing it (closing does nothing). */
  private static InputStream from(FileChannel channel) {
    return new InputStream() {
      private long position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, len), position);
        if (n > 0) {
          position += n;
        }
        return n;
      }
    };
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has " + algorithm, e);
    }
  }

  /** A backup ready to be written: its manifest, its exact length, the open snapshot file. */
  public static final class PreparedBackup implements AutoCloseable {
    private final BackupManifest manifest;
    private final BackupArchive.Writer writer;
    private final FileChannel snapshot;

    PreparedBackup(BackupManifest manifest, BackupArchive.Writer writer, FileChannel snapshot) {
      this.manifest = manifest;
      this.writer = writer;
      this.snapshot = snapshot;
    }

    public BackupManifest manifest() {
      return manifest;
    }

    /** The archive's exact length in bytes. */
    public long length() {
      return writer.length();
    }

    /** A file name for the archive: {@code lms-<node>-<index>.tar}. */
    public String fileName() {
      return "lms-" + manifest.sourceNode() + "-" + manifest.snapshotIndex() + ".tar";
    }

    /** Writes the archive to {@code out}, which stays open. */
    public void writeTo(OutputStream out) throws IOException {
      writer.writeTo(out, manifest.createdAt().getEpochSecond());
    }

    @Override
    public void close() throws IOException {
      snapshot.close();
    }
  }
}
