package org.lms.infrastructure.blobs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.lms.application.port.BlobStore.BlobNotFoundException;
import org.lms.application.port.BlobStore.BlobTooLargeException;
import org.lms.application.port.BlobStore.StoredBlob;

/**
 * This node's own blobs on disk, under {@code <fileStorageDir>/blobs/<sha256>}. A write lands in a
 * temporary file first and becomes visible under its hash only once complete and fsynced, so a
 * reader never sees a partial blob and a crash leaves at most an orphan temporary file (removed on
 * the next start).
 */
public final class FileBlobStore {

  private static final Logger LOG = Logger.getLogger(FileBlobStore.class.getName());
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path blobsDir;
  private final Path tmpDir;

  /**
   * Opens (creating if needed) the blob directory under {@code fileStorageDir} and removes the
   * temporary files that an interrupted write left behind.
   */
  public FileBlobStore(Path fileStorageDir) throws IOException {
    this.blobsDir = fileStorageDir.resolve("blobs").toAbsolutePath().normalize();
    this.tmpDir = blobsDir.resolve(".tmp");
    Files.createDirectories(tmpDir);
    removeOrphanTempFiles();
  }

  /** Whether {@code sha256} is a well-formed blob name: 64 lowercase hex digits. */
  public static boolean isValidSha256(String sha256) {
    return sha256 != null && SHA256_HEX.matcher(sha256).matches();
  }

  /**
   * Streams {@code in} into the store under the hash of its bytes.
   *
   * @throws BlobTooLargeException when more than {@code maxBytes} arrive (nothing is kept)
   */
  public StoredBlob put(InputStream in, long maxBytes) throws IOException {
    try (Upload upload = beginUpload(maxBytes)) {
      upload.writeAll(in);
      return upload.commit();
    }
  }

  /**
   * Starts a write that is fed piece by piece (e.g. from a gRPC stream). Close it to abandon it;
   * closing after a commit does nothing.
   */
  public Upload beginUpload(long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    return new Upload(Files.createTempFile(tmpDir, "upload-", ".part"), maxBytes);
  }

  /**
   * Opens the stored bytes of {@code sha256}.
   *
   * @throws BlobNotFoundException when this node does not hold them
   */
  public InputStream open(String sha256) throws IOException {
    try {
      return Files.newInputStream(path(sha256));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(sha256);
    }
  }

  /** Whether this node holds the complete bytes of {@code sha256}. */
  public boolean has(String sha256) {
    return Files.isRegularFile(path(sha256));
  }

  /**
   * The size in bytes of the stored blob {@code sha256}.
   *
   * @throws BlobNotFoundException when this node does not hold it
   */
  public long size(String sha256) throws IOException {
    try {
      return Files.size(path(sha256));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(sha256);
    }
  }

  /** The file of blob {@code sha256}; the name is validated, so it cannot leave the directory. */
  Path path(String sha256) {
    requireValid(sha256);
    return blobsDir.resolve(sha256);
  }

  private static void requireValid(String sha256) {
    if (!isValidSha256(sha256)) {
      throw new IllegalArgumentException("not a lowercase hex SHA-256: " + abbreviate(sha256));
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 80) + "...'";
  }

  private void removeOrphanTempFiles() throws IOException {
    try (DirectoryStream<Path> orphans = Files.newDirectoryStream(tmpDir)) {
      for (Path orphan : orphans) {
        Files.deleteIfExists(orphan);
        LOG.info(() -> "removed the unfinished blob upload " + orphan);
      }
    }
  }

  /** Makes the rename of a finished blob survive a crash of the machine. */
  private void syncBlobsDir() {
    try (FileChannel dir = FileChannel.open(blobsDir, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the blob file itself is already synced.
      LOG.log(Level.FINE, "could not sync " + blobsDir, e);
    }
  }

  /**
   * One write in progress: bytes go to a temporary file while being hashed and counted. Not safe
   * for concurrent use; one writer feeds it in order.
   */
  public final class Upload implements Closeable {
    private final Path tmp;
    private final long maxBytes;
    private final FileChannel channel;
    private final MessageDigest digest;
    private long size;
    private boolean finished;

    private Upload(Path tmp, long maxBytes) throws IOException {
      this.tmp = tmp;
      this.maxBytes = maxBytes;
      try {
        this.channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      this.digest = sha256Digest();
    }

    /** The number of bytes written so far. */
    public long size() {
      return size;
    }

    /**
     * Appends the remaining bytes of {@code bytes}.
     *
     * @throws BlobTooLargeException when the limit is passed; the upload is then abandoned
     */
    public void write(ByteBuffer bytes) throws IOException {
      requireOpen();
      int length = bytes.remaining();
      if (length > maxBytes - size) {
        close();
        throw new BlobTooLargeException(maxBytes);
      }
      digest.update(bytes.duplicate());
      try {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      } catch (IOException e) {
        close();
        throw e;
      }
      size += length;
    }

    /** Appends {@code length} bytes of {@code bytes} from {@code offset}. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
      write(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Appends everything {@code in} delivers, up to the limit. */
    public void writeAll(InputStream in) throws IOException {
      byte[] buffer = new byte[BUFFER_BYTES];
      int n;
      while ((n = in.read(buffer)) != -1) {
        write(buffer, 0, n);
      }
    }

    /** Finishes the write and stores the bytes under their hash. */
    public StoredBlob commit() throws IOException {
      return commit(null);
    }

    /**
     * Finishes the write and stores the bytes under their hash, which must equal {@code
     * expectedSha256} when that is not null.
     *
     * @throws BlobHashMismatchException when the bytes hash to something else (nothing is kept)
     */
    public StoredBlob commit(String expectedSha256) throws IOException {
      requireOpen();
      if (expectedSha256 != null) {
        requireValid(expectedSha256);
      }
      String sha256 = HexFormat.of().formatHex(digest.digest());
      try {
        if (expectedSha256 != null && !expectedSha256.equals(sha256)) {
          throw new BlobHashMismatchException(expectedSha256, sha256);
        }
        channel.force(true);
        channel.close();
        Path target = path(sha256);
        if (Files.exists(target)) {
          // Same hash, same bytes: whoever stored them first already did the work.
          Files.deleteIfExists(tmp);
        } else {
          try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
          } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
          }
          syncBlobsDir();
        }
        finished = true;
        return new StoredBlob(sha256, size);
      } finally {
        close();
      }
    }

    /** Abandons an unfinished write, deleting its temporary file; does nothing after commit. */
    @Override
    public void close() throws IOException {
      if (finished) {
        return;
      }
      finished = true;
      try {
        channel.close();
      } finally {
        Files.deleteIfExists(tmp);
      }
    }

    private void requireOpen() {
      if (finished) {
        throw new IllegalStateException("this upload is already finished");
      }
    }
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
