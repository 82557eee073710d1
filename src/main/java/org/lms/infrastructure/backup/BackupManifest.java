package org.lms.infrastructure.backup;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonParseException;
import org.bson.json.JsonWriterSettings;

/**
 * What {@code manifest.json}, the first entry of a backup archive, says about the backup: where and
 * when it was taken, the Raft position of its snapshot, and what a restored cluster must show. Flat
 * JSON (but for the per-collection counts), so that an operator's {@code grep} or {@code jq} and
 * {@code ./lms} read it without a JSON library.
 *
 * @param format the archive format, {@value #FORMAT}; a reader refuses others
 * @param lmsVersion the version of the LMS that wrote the archive
 * @param createdAt when the backup was taken (the node's clock)
 * @param raftGroupId the Raft group the snapshot belongs to
 * @param sourceNode the node that took the snapshot and wrote the archive
 * @param snapshotTerm the Raft term of the last entry the snapshot holds
 * @param snapshotIndex the Raft log index of that entry: the state is the one at this index
 * @param snapshotBytes the size of {@value BackupArchive#SNAPSHOT}
 * @param snapshotSha256 its SHA-256 (also in {@code SHA256SUMS})
 * @param stateDigest the state digest at {@code snapshotIndex}, what {@code GET /api/status/digest}
 *     shows on a node holding exactly this state
 * @param collections the number of documents of each LMS collection in the snapshot
 * @param blobCount the number of files ({@code blobs/<sha256>} entries)
 * @param blobBytes their total size
 */
public record BackupManifest(
    int format,
    String lmsVersion,
    Instant createdAt,
    String raftGroupId,
    String sourceNode,
    long snapshotTerm,
    long snapshotIndex,
    long snapshotBytes,
    String snapshotSha256,
    String stateDigest,
    Map<String, Long> collections,
    long blobCount,
    long blobBytes) {

  /** The archive format this code writes and reads. */
  public static final int FORMAT = 1;

  /** What {@code kind} says in every manifest, so that a stray JSON file is not taken for one. */
  static final String KIND = "lms-backup";

  private static final JsonWriterSettings PRETTY =
      JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build();

  public BackupManifest {
    Objects.requireNonNull(lmsVersion, "lmsVersion");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(raftGroupId, "raftGroupId");
    Objects.requireNonNull(sourceNode, "sourceNode");
    Objects.requireNonNull(snapshotSha256, "snapshotSha256");
    Objects.requireNonNull(stateDigest, "stateDigest");
    collections = Map.copyOf(collections);
  }

  /** The manifest as the archive holds it: indented JSON in UTF-8, ending in a newline. */
  byte[] toJson() {
    var counts = new Document();
    collections.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> counts.append(e.getKey(), e.getValue()));
    var json =
        new Document("kind", KIND)
            .append("format", format)
            .append("lmsVersion", lmsVersion)
            .append("createdAt", createdAt.toString())
            .append("raftGroupId", raftGroupId)
            .append("sourceNode", sourceNode)
            .append("snapshotTerm", snapshotTerm)
            .append("snapshotIndex", snapshotIndex)
            .append("snapshotBytes", snapshotBytes)
            .append("snapshotSha256", snapshotSha256)
            .append("stateDigest", stateDigest)
            .append("blobCount", blobCount)
            .append("blobBytes", blobBytes)
            .append("collections", counts);
    return (json.toJson(PRETTY) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a manifest.
   *
   * @throws BackupArchiveException naming what is missing or wrong, or the format when it is not
   *     {@value #FORMAT}
   */
  static BackupManifest parse(byte[] json) throws BackupArchiveException {
    Document d;
    try {
      d = Document.parse(new String(json, StandardCharsets.UTF_8));
    } catch (JsonParseException | IllegalArgumentException e) {
      throw new BackupArchiveException(BackupArchive.MANIFEST + " is not JSON: " + e.getMessage());
    }
    if (!KIND.equals(d.get("kind"))) {
      throw new BackupArchiveException(
          BackupArchive.MANIFEST
              + " is not an LMS backup manifest (no \"kind\": \""
              + KIND
              + "\")");
    }
    int format = (int) number(d, "format");
    if (format != FORMAT) {
      throw new BackupArchiveException(
          "the archive has format " + format + "; this LMS reads format " + FORMAT);
    }
    var counts = new LinkedHashMap<String, Long>();
    Object collections = d.get("collections");
    if (collections instanceof Document c) {
      for (var e : c.entrySet()) {
        if (!(e.getValue() instanceof Number n)) {
          throw missing("collections." + e.getKey());
        }
        counts.put(e.getKey(), n.longValue());
      }
    } else {
      throw missing("collections");
    }
    Instant createdAt;
    try {
      createdAt = Instant.parse(text(d, "createdAt"));
    } catch (DateTimeParseException e) {
      throw new BackupArchiveException(BackupArchive.MANIFEST + ": createdAt is not an instant");
    }
    return new BackupManifest(
        format,
        text(d, "lmsVersion"),
        createdAt,
        text(d, "raftGroupId"),
        text(d, "sourceNode"),
        number(d, "snapshotTerm"),
        number(d, "snapshotIndex"),
        number(d, "snapshotBytes"),
        text(d, "snapshotSha256"),
        text(d, "stateDigest"),
        counts,
        number(d, "blobCount"),
        number(d, "blobBytes"));
  }

  private static long number(Document d, String key) throws BackupArchiveException {
    if (d.get(key) instanceof Number n) {
      return n.longValue();
    }
    throw missing(key);
  }

  private static String text(Document d, String key) throws BackupArchiveException {
    if (d.get(key) instanceof String s) {
      return s;
    }
    throw missing(key);
  }

  private static BackupArchiveException missing(String key) {
    return new BackupArchiveException(
        BackupArchive.MANIFEST + " has no " + key + " (or not of the right type)");
  }
}
