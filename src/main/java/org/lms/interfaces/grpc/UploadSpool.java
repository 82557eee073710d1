package org.lms.interfaces.grpc;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.application.port.BlobStore.BlobTooLargeException;

/**
 * The bytes of one upload in a temporary file while its stream is still arriving, with their count
 * and SHA-256; never more than the size limit. The file is deleted by {@link #close}, whatever
 * became of the upload.
 */
final class UploadSpool implements AutoCloseable {
  static final String PREFIX = "upload-";
  static final String SUFFIX = ".part";

  private static final Logger LOG = Logger.getLogger(UploadSpool.class.getName());

  private final Path dir;
  private final long maxBytes;
  private final MessageDigest sha256;
  private Path file;
  private OutputStream out;
  private long size;
  private boolean closed;

  UploadSpool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Deletes the spool files a previous run of this node left behind (it stopped mid-upload). */
  static void deleteLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Appends {@code chunk}.
   *
   * @throws BlobTooLargeException when the upload grows beyond the limit
   */
  synchronized void write(ByteString chunk) throws IOException {
    if (closed) {
      throw new IOException("the upload was already ended");
    }
    if (size + chunk.size() > maxBytes) {
      throw new BlobTooLargeException(maxBytes);
    }
    if (out == null) {
      Files.createDirectories(dir);
      file = Files.createTempFile(dir, PREFIX, SUFFIX);
      out = Files.newOutputStream(file);
    }
    chunk.writeTo(out);
    for (var buffer : chunk.asReadOnlyByteBufferList()) {
      sha256.update(buffer);
    }
    size += chunk.size();
  }

  synchronized long size() {
    return size;
  }

  /** The SHA-256 of everything written, in lowercase hex; call once, after the last write. */
  synchronized String sha256() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** Reads back what was written. */
  synchronized InputStream open() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
    return file == null ? InputStream.nullInputStream() : Files.newInputStream(file);
  }

  /** Deletes the file; safe to call more than once and from any thread. */
  @Override
  public synchronized void close() {
    closed = true;
    try {
      if (out != null) {
        out.close();
        out = null;
      }
      if (file != null) {
        Files.deleteIfExists(file);
        file = null;
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not delete the upload spool file " + file, e);
    }
  }
}
