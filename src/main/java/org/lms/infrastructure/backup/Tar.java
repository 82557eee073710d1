package org.lms.infrastructure.backup;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The subset of the POSIX USTAR format a backup archive needs: regular files in one directory
 * level, written and read as streams, so that GNU tar, bsdtar and {@code sha256sum} can list,
 * extract and check an archive without this project's code. Sizes from 8 GiB on are written in GNU
 * tar's base-256 form, which both tars read.
 */
final class Tar {

  static final int BLOCK = 512;

  private static final int NAME_LENGTH = 100;
  private static final long OCTAL_11_LIMIT = 1L << 33; // 8^11: what 11 octal digits hold
  private static final byte REGULAR = '0';
  private static final byte REGULAR_OLD = 0;
  private static final byte DIRECTORY = '5';

  private Tar() {}

  /** Writes entries one after another; {@link #finish} writes the end-of-archive marker. */
  static final class Writer {
    private final OutputStream out;
    private final long mtimeSeconds;
    private final byte[] buffer = new byte[1 << 16];

    /**
     * @param mtimeSeconds the modification time every entry gets (seconds since the epoch)
     */
    Writer(OutputStream out, long mtimeSeconds) {
      this.out = out;
      this.mtimeSeconds = mtimeSeconds;
    }

    /**
     * Writes one regular file of exactly {@code size} bytes taken from {@code content}.
     *
     * @throws IOException when {@code content} ends before {@code size} bytes
     */
    void write(String name, long size, InputStream content) throws IOException {
      out.write(header(name, size, mtimeSeconds));
      long left = size;
      while (left > 0) {
        int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException(name + " ended after " + (size - left) + " of " + size + " bytes");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
      out.write(new byte[padding(size)]);
    }

    /** Writes the two zero blocks that end an archive and flushes; {@code out} stays open. */
    void finish() throws IOException {
      out.write(new byte[2 * BLOCK]);
      out.flush();
    }
  }

  /** The bytes an entry of {@code size} content bytes takes in an archive, header included. */
  static long entryLength(long size) {
    return BLOCK + size + padding(size);
  }

  /** The length of the end-of-archive marker. */
  static long endLength() {
    return 2L * BLOCK;
  }

  private static int padding(long size) {
    return (int) ((BLOCK - size % BLOCK) % BLOCK);
  }

  static byte[] header(String name, long size, long mtimeSeconds) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length == 0 || nameBytes.length > NAME_LENGTH) {
      throw new IllegalArgumentException("an entry name has 1 to 100 bytes: " + name);
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size for " + name);
    }
    byte[] h = new byte[BLOCK];
    System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
    octal(h, 100, 8, 0644); // mode
    octal(h, 108, 8, 0); // uid
    octal(h, 116, 8, 0); // gid
    if (size < OCTAL_11_LIMIT) {
      octal(h, 124, 12, size);
    } else {
      // GNU base-256: the high bit of the first byte set, the value big-endian in the rest
      h[124] = (byte) 0x80;
      long v = size;
      for (int i = 135; i > 124; i--) {
        h[i] = (byte) v;
        v >>>= 8;
      }
    }
    octal(h, 136, 12, mtimeSeconds);
    Arrays.fill(h, 148, 156, (byte) ' '); // the checksum counts its own field as spaces
    h[156] = REGULAR;
    ascii(h, 257, "ustar\0");
    ascii(h, 263, "00");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum); // six digits and a NUL, then the space already there
    return h;
  }

  /** {@code value} as zero-padded octal digits ending in a NUL, filling {@code length} bytes. */
  private static void octal(byte[] h, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException(value + " does not fit in " + (length - 1) + " digits");
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    ascii(h, offset, padded);
    h[offset + length - 1] = 0;
  }

  private static void ascii(byte[] h, int offset, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, h, offset, bytes.length);
  }

  /** One entry of an archive being read. */
  record Entry(String name, long size, InputStream content) {}

  /**
   * Reads the regular files of an archive in order; directory entries are skipped, every other kind
   * (links, devices, pax or GNU long-name headers) is refused, since a backup holds none.
   */
  static final class Reader {
    private final InputStream in;
    private BoundedStream current;
    private boolean ended;

    Reader(InputStream in) {
      this.in = in;
    }

    /** The next regular file, or null at the end of the archive. */
    Entry next() throws IOException {
      if (ended) {
        return null;
      }
      if (current != null) {
        current.skipRest();
        skipFully(in, padding(current.size));
        current = null;
      }
      while (true) {
        byte[] h = new byte[BLOCK];
        int read = in.readNBytes(h, 0, BLOCK);
        if (read == 0) {
          throw new EOFException("the archive ends without its end-of-archive marker (truncated?)");
        }
        if (read < BLOCK) {
          throw new EOFException("the archive ends inside an entry header (truncated?)");
        }
        if (isZero(h)) {
          ended = true;
          return null;
        }
        String name = string(h, 0, NAME_LENGTH);
        checkChecksum(h, name);
        String prefix = isUstar(h) ? string(h, 345, 155) : "";
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = size(h, name);
        byte type = h[156];
        if (type == DIRECTORY) {
          skipFully(in, size + padding(size));
          continue;
        }
        if (type != REGULAR && type != REGULAR_OLD) {
          throw new IOException(
              "entry "
                  + name
                  + " is of tar type '"
                  + (char) type
                  + "'; a backup archive holds regular files only");
        }
        current = new BoundedStream(in, size, name);
        return new Entry(name, size, current);
      }
    }

    private static void checkChecksum(byte[] h, String name) throws IOException {
      long stored;
      try {
        stored = parseOctal(h, 148, 8);
      } catch (NumberFormatException e) {
        throw new IOException("the header of entry '" + name + "' is damaged (no checksum)");
      }
      long unsigned = 0;
      long signed = 0;
      for (int i = 0; i < BLOCK; i++) {
        byte b = (i >= 148 && i < 156) ? (byte) ' ' : h[i];
        unsigned += b & 0xff;
        signed += b;
      }
      if (stored != unsigned && stored != signed) {
        throw new IOException("the header of entry '" + name + "' is damaged (checksum mismatch)");
      }
    }

    private static long size(byte[] h, String name) throws IOException {
      if ((h[124] & 0x80) != 0) {
        if ((h[124] & 0x40) != 0) {
          throw new IOException("entry " + name + " has a negative size");
        }
        long v = h[124] & 0x3f;
        for (int i = 125; i < 136; i++) {
          if ((v >>> 55) != 0) {
            throw new IOException("entry " + name + " is larger than this reader can take");
          }
          v = (v << 8) | (h[i] & 0xff);
        }
        return v;
      }
      try {
        return parseOctal(h, 124, 12);
      } catch (NumberFormatException e) {
        throw new IOException("entry " + name + " has no readable size");
      }
    }

    private static boolean isUstar(byte[] h) {
      return h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    }
  }

  private static long parseOctal(byte[] h, int offset, int length) {
    String s = new String(h, offset, length, StandardCharsets.US_ASCII);
    int end = 0;
    String trimmed = s.strip();
    while (end < trimmed.length() && trimmed.charAt(end) >= '0' && trimmed.charAt(end) <= '7') {
      end++;
    }
    if (end == 0) {
      throw new NumberFormatException("no octal digits in '" + s + "'");
    }
    return Long.parseLong(trimmed.substring(0, end), 8);
  }

  private static String string(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) {
      end++;
    }
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("the archive ends inside an entry (truncated?)");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  /** An entry's content: exactly its size, after which it reads as ended; closing does nothing. */
  private static final class BoundedStream extends FilterInputStream {
    private final long size;
    private final String name;
    private long left;

    BoundedStream(InputStream in, long size, String name) {
      super(in);
      this.size = size;
      this.name = name;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left == 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw truncated();
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw truncated();
      }
      left -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.min(n, left));
      left -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), left);
    }

    @Override
    public void close() {
      // the archive stream stays open for the next entry
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    void skipRest() throws IOException {
      skipFully(this, left);
    }

    private EOFException truncated() {
      return new EOFException(
          "entry " + name + " ends after " + (size - left) + " of " + size + " bytes (truncated?)");
    }
  }
}
