package org.lms.infrastructure.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup archive: a plain tar (USTAR) of {@value #MANIFEST}, {@value #SNAPSHOT} (the Raft
 * snapshot file of one node, as Ratis keeps it), {@value #BLOB_DIR}{@code <sha256>} for every file
 * the snapshot's state references, and last {@value #SUMS}, which lists the SHA-256 of every other
 * entry in the format of {@code sha256sum}, so that {@code tar -xf} and {@code sha256sum -c} check
 * an archive without this code.
 *
 * <p>Both directions stream: the writer knows every entry's size and hash before it writes (so the
 * archive's length is known up front and an HTTP response can announce it) and checks each hash
 * again while copying; the reader hands each entry to a sink as it comes and checks every checksum
 * at the end, so a caller keeps nothing it read until {@link #read} returned.
 */
public final class BackupArchive {

  public static final String MANIFEST = "manifest.json";
  public static final String SNAPSHOT = "snapshot.jsonl.gz";
  public static final String BLOB_DIR = "blobs/";
  public static final String SUMS = "SHA256SUMS";

  private static final Pattern BLOB_NAME = Pattern.compile("blobs/([0-9a-f]{64})");
  private static final Pattern SUMS_LINE = Pattern.compile("([0-9a-f]{64}) [ *](\\S+)");

  private BackupArchive() {}

  /** Opens the bytes of one part of an archive, from the start, each time it is called. */
  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  /**
   * One file of an archive to be written.
   *
   * @param sha256 the hash its bytes must have; the writer checks it while copying
   */
  public record Part(String name, long size, String sha256, Source source) {
    public Part {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(source, "source");
    }

    /** A stored file under its content hash: entry {@code blobs/<sha256>}. */
    public static Part blob(String sha256, long size, Source source) {
      return new Part(BLOB_DIR + sha256, size, sha256, source);
    }
  }

  /**
   * An archive ready to be written: its entries, their checksums and its exact length are fixed.
   */
  public static final class Writer {
    private final List<Part> parts;
    private final byte[] sums;

    /**
     * @param manifest the manifest, written first
     * @param snapshot the snapshot file ({@value #SNAPSHOT})
     * @param blobs the files, in the order they are written
     */
    public Writer(BackupManifest manifest, Part snapshot, List<Part> blobs) {
      byte[] manifestJson = manifest.toJson();
      parts = new ArrayList<>();
      parts.add(
          new Part(
              MANIFEST,
              manifestJson.length,
              sha256(manifestJson),
              () -> new ByteArrayInputStream(manifestJson)));
      if (!SNAPSHOT.equals(snapshot.name())) {
        throw new IllegalArgumentException("the snapshot entry is " + SNAPSHOT);
      }
      parts.add(snapshot);
      for (Part blob : blobs) {
        if (!BLOB_NAME.matcher(blob.name()).matches()
            || !blob.name().equals(BLOB_DIR + blob.sha256())) {
          throw new IllegalArgumentException("not a blob entry: " + blob.name());
        }
        parts.add(blob);
      }
      var lines = new StringBuilder();
      for (Part part : parts) {
        lines.append(part.sha256()).append("  ").append(part.name()).append('\n');
      }
      sums = lines.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The exact number of bytes {@link #writeTo} writes. */
    public long length() {
      long length = Tar.entryLength(sums.length) + Tar.endLength();
      for (Part part : parts) {
        length += Tar.entryLength(part.size());
      }
      return length;
    }

    /**
     * Writes the archive. Every entry's bytes are hashed as they are copied; one that does not
     * match the hash announced for it stops the writing with a {@link BackupArchiveException}
     * naming it, so the archive is left short and a reader refuses it.
     *
     * @param mtimeSeconds the modification time of every entry (seconds since the epoch)
     */
    public void writeTo(OutputStream out, long mtimeSeconds) throws IOException {
      var tar = new Tar.Writer(out, mtimeSeconds);
      for (Part part : parts) {
        MessageDigest digest = newSha256();
        try (InputStream in = new DigestInputStream(part.source().open(), digest)) {
          tar.write(part.name(), part.size(), in);
          if (in.read() >= 0) {
            throw new BackupArchiveException(
                part.name() + " grew while it was written (more than " + part.size() + " bytes)");
          }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(part.sha256())) {
          throw new BackupArchiveException(
              part.name()
                  + ": the bytes on this node hash to "
                  + actual
                  + ", not to "
                  + part.sha256()
                  + " (damaged on disk?); the archive is left incomplete");
        }
      }
      tar.write(SUMS, sums.length, new ByteArrayInputStream(sums));
      tar.finish();
    }
  }

  /** Receives the entries of an archive being read, but {@value #SUMS}, as they come. */
  @FunctionalInterface
  public interface EntrySink {
    /**
     * Called once per entry in archive order; {@code content} holds exactly {@code size} bytes and
     * need not be read to its end. Nothing about the entry is checked yet: a caller keeps what it
     * took only once {@link #read} returns.
     */
    void accept(String name, long size, InputStream content) throws IOException;
  }

  /**
   * What a checked archive holds.
   *
   * @param sha256s every entry but {@value #SUMS} with its SHA-256, in archive order
   */
  public record Contents(BackupManifest manifest, Map<String, String> sha256s) {
    /** The hashes of the files in the archive, in archive order. */
    public List<String> blobs() {
      return sha256s.keySet().stream()
          .filter(name -> name.startsWith(BLOB_DIR))
          .map(name -> name.substring(BLOB_DIR.length()))
          .toList();
    }
  }

  /** Reads and checks a whole archive, keeping nothing of it. */
  public static Contents verify(InputStream in) throws IOException {
    return read(in, (name, size, content) -> {});
  }

  /**
   * Reads an archive to its end, handing every entry to {@code sink}, then checks it: the first
   * entry is a manifest this code reads, the entries are the ones a backup has, each once, {@value
   * #SUMS} comes last and lists every other entry with the hash of its bytes, each file's bytes
   * hash to its name, and the manifest agrees with the snapshot and the files.
   *
   * @throws BackupArchiveException naming the first entry at fault
   */
  public static Contents read(InputStream in, EntrySink sink) throws IOException {
    var tar = new Tar.Reader(in);
    var actual = new LinkedHashMap<String, String>();
    var sizes = new LinkedHashMap<String, Long>();
    BackupManifest manifest = null;
    Map<String, String> listed = null;
    Tar.Entry entry;
    while ((entry = tar.next()) != null) {
      String name = entry.name();
      if (listed != null) {
        throw new BackupArchiveException(
            "entry " + name + " comes after " + SUMS + ", which must be the last entry");
      }
      if (actual.containsKey(name)) {
        throw new BackupArchiveException("entry " + name + " is in the archive twice");
      }
      if (manifest == null && !MANIFEST.equals(name)) {
        throw new BackupArchiveException(
            "the first entry is " + name + ", not " + MANIFEST + ": not an LMS backup archive");
      }
      if (SUMS.equals(name)) {
        listed = parseSums(entry.content().readAllBytes());
        continue;
      }
      if (!MANIFEST.equals(name) && !SNAPSHOT.equals(name) && !isBlobEntry(name)) {
        throw new BackupArchiveException("entry " + name + " does not belong in a backup archive");
      }
      MessageDigest digest = newSha256();
      var hashed = new DigestInputStream(entry.content(), digest);
      if (MANIFEST.equals(name)) {
        if (entry.size() > 1 << 20) {
          throw new BackupArchiveException(MANIFEST + " is larger than 1 MiB");
        }
        byte[] json = hashed.readAllBytes();
        manifest = BackupManifest.parse(json);
        sink.accept(name, entry.size(), new ByteArrayInputStream(json));
      } else {
        sink.accept(name, entry.size(), hashed);
        hashed.transferTo(OutputStream.nullOutputStream());
      }
      actual.put(name, HexFormat.of().formatHex(digest.digest()));
      sizes.put(name, entry.size());
    }
    if (manifest == null) {
      throw new BackupArchiveException("the archive is empty");
    }
    if (listed == null) {
      throw new BackupArchiveException(
          "the archive has no " + SUMS + " (the last entry): incomplete or not a backup archive");
    }
    check(actual, listed);
    checkAgainstManifest(manifest, actual, sizes);
    return new Contents(manifest, java.util.Collections.unmodifiableMap(actual));
  }

  /** The entry name of a file if {@code name} is {@code blobs/<64 hex digits>}. */
  static boolean isBlobEntry(String name) {
    return BLOB_NAME.matcher(name).matches();
  }

  private static Map<String, String> parseSums(byte[] bytes) throws BackupArchiveException {
    var listed = new LinkedHashMap<String, String>();
    String text = new String(bytes, StandardCharsets.UTF_8);
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = SUMS_LINE.matcher(line);
      if (!m.matches()) {
        throw new BackupArchiveException(
            SUMS + " line " + lineNumber + " is not '<sha256>  <name>'");
      }
      if (listed.put(m.group(2), m.group(1)) != null) {
        throw new BackupArchiveException(SUMS + " lists " + m.group(2) + " twice");
      }
    }
    return listed;
  }

  private static void check(Map<String, String> actual, Map<String, String> listed)
      throws BackupArchiveException {
    for (var e : actual.entrySet()) {
      String want = listed.get(e.getKey());
      if (want == null) {
        throw new BackupArchiveException(e.getKey() + ": not listed in " + SUMS);
      }
      if (!want.equals(e.getValue())) {
        throw new BackupArchiveException(
            e.getKey()
                + ": checksum mismatch ("
                + SUMS
                + " says "
                + want
                + ", the bytes hash to "
                + e.getValue()
                + ")");
      }
      Matcher blob = BLOB_NAME.matcher(e.getKey());
      if (blob.matches() && !blob.group(1).equals(e.getValue())) {
        throw new BackupArchiveException(
            e.getKey() + ": the bytes hash to " + e.getValue() + ", not to the file's name");
      }
    }
    for (String name : listed.keySet()) {
      if (!actual.containsKey(name)) {
        throw new BackupArchiveException(name + ": listed in " + SUMS + " but not in the archive");
      }
    }
  }

  private static void checkAgainstManifest(
      BackupManifest manifest, Map<String, String> actual, Map<String, Long> sizes)
      throws BackupArchiveException {
    if (!actual.containsKey(SNAPSHOT)) {
      throw new BackupArchiveException("the archive has no " + SNAPSHOT);
    }
    if (!actual.get(SNAPSHOT).equals(manifest.snapshotSha256())
        || sizes.get(SNAPSHOT) != manifest.snapshotBytes()) {
      throw new BackupArchiveException(
          SNAPSHOT + ": not the snapshot " + MANIFEST + " describes (size or SHA-256 differ)");
    }
    long blobs = 0;
    long blobBytes = 0;
    for (var e : sizes.entrySet()) {
      if (isBlobEntry(e.getKey())) {
        blobs++;
        blobBytes += e.getValue();
      }
    }
    if (blobs != manifest.blobCount() || blobBytes != manifest.blobBytes()) {
      throw new BackupArchiveException(
          "the archive holds "
              + blobs
              + " files of "
              + blobBytes
              + " bytes; "
              + MANIFEST
              + " says "
              + manifest.blobCount()
              + " of "
              + manifest.blobBytes());
    }
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newSha256().digest(bytes));
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
