package org.lms.interfaces.grpc;

import com.google.protobuf.Timestamp;
import java.util.List;
import java.util.Random;

/**
 * Values a hostile or careless client sends, drawn from a {@link Random}: well-formed ids that name
 * nothing, malformed ids, strings beyond the limits, unicode and control characters, negative and
 * overflowing numbers, impossible timestamps. The {@code bad*} methods return values that the LMS
 * must refuse wherever the field is checked; the others may or may not be acceptable.
 */
final class HostileValues {
  private static final String ID_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /** Pieces of text that often break parsers, encoders, queries or terminals. */
  private static final List<String> NASTY =
      List.of(
          "'; DROP TABLE users; --",
          "{\"$gt\": \"\"}",
          "$where",
          "${jndi:ldap://127.0.0.1/x}",
          "<script>alert(1)</script>",
          "../../../../etc/passwd",
          "%00%ff%s%n",
          "\uD83D\uDE00\uD83D\uDC69\u200D\uD83D\uDCBB", // emoji, a ZWJ sequence
          "\u202Eevil\u202C", // right-to-left override
          "\u0645\u0631\u062D\u0628\u0627", // Arabic
          "\u4F60\u597D\u4E16\u754C", // CJK
          "e\u0301\u0301\u0301\u0301", // combining accents
          "\uFEFF\u200B\u2060", // BOM, zero-width space and joiner
          "\uFFFD\uFFFF",
          "NaN",
          "-0",
          "9223372036854775808",
          "null",
          " ");

  /** Control characters no one-line or multi-line field accepts. */
  private static final char[] CONTROLS = {
    '\u0000', '\u0001', '\u0007', '\u0008', '\u000B', '\u000C', '\u001B', '\u007F', '\u0085',
    '\u009F'
  };

  private HostileValues() {}

  static <T> T pick(Random r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  // ---- ids

  /** A well-formed id (the LMS's alphabet, 24-64 characters) that names nothing. */
  static String unknownId(Random r) {
    int length = 24 + r.nextInt(41);
    var id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(ID_ALPHABET.charAt(r.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  /** An id no id field accepts: empty, too long, or with a character outside the alphabet. */
  static String malformedId(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> "";
      case 1 -> unknownId(r) + unknownId(r) + "x"; // at least 49 + 1 characters
      case 2 -> "x".repeat(65 + r.nextInt(5000));
      case 3 ->
          unknownId(r).substring(0, 10) + pick(r, List.of(" ", ".", "/", "\u00E9", "+", "=", ":"));
      case 4 -> pick(r, NASTY);
      default -> String.valueOf(CONTROLS[r.nextInt(CONTROLS.length)]) + "abc";
    };
  }

  /** An id that must be refused: malformed, or well-formed naming nothing. */
  static String badId(Random r) {
    return r.nextBoolean() ? malformedId(r) : unknownId(r);
  }

  // ---- text

  /** Any text: plain, unicode, nasty, huge, blank or with control characters. */
  static String anyText(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> "";
      case 1 -> "plain text " + r.nextInt(1000);
      case 2 -> pick(r, NASTY);
      case 3 -> unicode(r, 1 + r.nextInt(300));
      case 4 -> withControl(r, unicode(r, 1 + r.nextInt(40)));
      case 5 -> huge(r);
      case 6 -> "   \t  ";
      case 7 -> "line one\nline two\r\n\tindented";
      default -> unicode(r, 1 + r.nextInt(20)) + pick(r, NASTY);
    };
  }

  /** A one-line field value that must be refused (limit {@code max}). */
  static String badLine(Random r, int max) {
    return switch (r.nextInt(5)) {
      case 0 -> pick(r, List.of("", " ", "   ", "\u2003\u3000")); // blank, also in unicode
      case 1 -> withControl(r, unicode(r, 1 + r.nextInt(30)));
      case 2 -> "two\nlines";
      case 3 -> overLimit(r, max);
      default -> unicode(r, 3) + "\t" + unicode(r, 3);
    };
  }

  /** A required multi-line text that must be refused (limit {@code max}). */
  static String badText(Random r, int max) {
    return switch (r.nextInt(3)) {
      case 0 -> pick(r, List.of("", " \n\t ", "\r\n"));
      case 1 -> badOptionalText(r, max);
      default -> overLimit(r, max);
    };
  }

  /** An optional multi-line text that must be refused: a control character, or over the limit. */
  static String badOptionalText(Random r, int max) {
    return r.nextBoolean()
        ? withControl(r, "multi\nline " + unicode(r, 1 + r.nextInt(50)))
        : overLimit(r, max);
  }

  /** Unicode text of {@code length} UTF-16 units, from many scripts, no control characters. */
  static String unicode(Random r, int length) {
    var text = new StringBuilder(length + 2);
    while (text.length() < length) {
      switch (r.nextInt(8)) {
        case 0 -> text.append((char) ('a' + r.nextInt(26)));
        case 1 -> text.append((char) (0x00C0 + r.nextInt(0x100))); // Latin-1 and Extended-A
        case 2 -> text.append((char) (0x0400 + r.nextInt(0x100))); // Cyrillic
        case 3 -> text.append((char) (0x4E00 + r.nextInt(0x5000))); // CJK
        case 4 -> text.append((char) (0x0600 + r.nextInt(0x60))); // Arabic
        case 5 -> text.appendCodePoint(0x1F300 + r.nextInt(0x300)); // emoji (surrogate pairs)
        case 6 -> text.append((char) (0x0300 + r.nextInt(0x70))); // combining marks
        default -> text.append(pick(r, List.of(" ", "\u200B", "\u202E", "\u00A0", "-", ".")));
      }
    }
    return text.toString();
  }

  /** {@code text} with one control character (not a line break or tab) inserted. */
  static String withControl(Random r, String text) {
    int at = boundary(text, r.nextInt(text.length() + 1));
    return text.substring(0, at) + CONTROLS[r.nextInt(CONTROLS.length)] + text.substring(at);
  }

  /** {@code at}, or one less where {@code at} would split a surrogate pair. */
  private static int boundary(String text, int at) {
    return at > 0 && at < text.length() && Character.isHighSurrogate(text.charAt(at - 1))
        ? at - 1
        : at;
  }

  /** A text longer than {@code max} UTF-16 units (by 1 to a few thousand). */
  static String overLimit(Random r, int max) {
    int length = max + 1 + (r.nextBoolean() ? 0 : r.nextInt(5000));
    return r.nextBoolean() ? "x".repeat(length) : unicode(r, length);
  }

  /** A long string: 10 000 to 300 000 characters (beyond every limit, well below 4 MiB). */
  static String huge(Random r) {
    int length = 10_000 + r.nextInt(290_000);
    return r.nextBoolean() ? "A".repeat(length) : unicode(r, length);
  }

  // ---- field-specific values

  /** A username that is invalid even after the LMS strips and lower-cases it. */
  static String badUsername(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> pick(r, List.of("", "ab", " a ", "x"));
      case 1 -> "has space" + r.nextInt(100);
      case 2 -> "_starts-with-underscore";
      case 3 -> "m\u00FCller" + r.nextInt(100);
      case 4 -> "u".repeat(65 + r.nextInt(100));
      default -> "at@sign" + r.nextInt(100);
    };
  }

  /** A password the LMS refuses for a new account: under 10 or over 1024 characters. */
  static String badPassword(Random r) {
    return r.nextBoolean()
        ? "p".repeat(r.nextInt(10))
        : "p".repeat(1025 + r.nextInt(2000)) + unicode(r, r.nextInt(100));
  }

  /** Any password, never one of the cast's. */
  static String anyPassword(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "";
      case 1 -> "guess-" + r.nextInt(1_000_000);
      case 2 -> unicode(r, 1 + r.nextInt(60));
      default -> "p".repeat(1 + r.nextInt(3000));
    };
  }

  /** A course code the LMS refuses (not 1-32 of letters, digits, '.', '_', '-'). */
  static String badCode(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> "";
      case 1 -> "HAS SPACE";
      case 2 -> "-STARTS-WITH-DASH";
      case 3 -> "C".repeat(33 + r.nextInt(100));
      default -> "K\u00D6LN-" + r.nextInt(100);
    };
  }

  /** A declared SHA-256 that is not 64 hex digits. */
  static String malformedSha256(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "abc";
      case 1 -> "g".repeat(64);
      case 2 -> hex(r, 63);
      default -> hex(r, 64) + "0";
    };
  }

  /** {@code digits} random lowercase hex digits (64 of them: almost surely a wrong SHA-256). */
  static String hex(Random r, int digits) {
    var hex = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      hex.append(Character.forDigit(r.nextInt(16), 16));
    }
    return hex.toString();
  }

  static String mediaType(Random r) {
    return pick(
        r,
        List.of(
            "application/pdf",
            "text/plain; charset=utf-8",
            "nonsense",
            "",
            "a/b/c",
            "/",
            "application/" + "x".repeat(300),
            "image/png\u0000",
            "t\u00EBxt/plain"));
  }

  static String fileName(Random r) {
    return pick(
        r,
        List.of(
            "notes.pdf",
            "../../../etc/passwd",
            "CON",
            "a\u0000b.txt",
            "n".repeat(256),
            unicode(r, 20) + ".bin",
            "",
            "   ",
            "line\nbreak.txt"));
  }

  /** A page token: empty, garbage, forged, or far too long. */
  static String pageToken(Random r) {
    var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return switch (r.nextInt(7)) {
      case 0 -> "";
      case 1 -> b64.encodeToString(("p1:-1:" + hex(r, 16)).getBytes());
      case 2 -> b64.encodeToString(("p1:2147483648:" + hex(r, 16)).getBytes());
      case 3 -> b64.encodeToString(("p1:5:" + hex(r, 16)).getBytes());
      case 4 -> "%%% not base64 %%%";
      case 5 -> "A".repeat(10_000);
      default -> anyText(r);
    };
  }

  static int anyInt(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> Integer.MIN_VALUE;
      case 3 -> Integer.MAX_VALUE;
      case 4 -> 1;
      case 5 -> 10_001;
      case 6 -> 501;
      case 7 -> -r.nextInt(1000);
      default -> r.nextInt();
    };
  }

  static long anyLong(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> Long.MIN_VALUE;
      case 3 -> Long.MAX_VALUE;
      case 4 -> 1;
      case 5 -> 2;
      case 6 -> 1L << 53;
      case 7 -> -r.nextInt(1000);
      default -> r.nextLong();
    };
  }

  static double anyDouble(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> -0.0;
      case 4 -> Double.MAX_VALUE;
      case 5 -> Double.MIN_VALUE;
      case 6 -> -1;
      case 7 -> 10.001;
      case 8 -> 1e300;
      case 9 -> 5;
      case 10 -> 9.99;
      default -> r.nextDouble() * 20 - 5;
    };
  }

  /** A points value no grade accepts (for an assignment worth {@code maxPoints}). */
  static double badPoints(Random r, int maxPoints) {
    return pick(
        r,
        List.of(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.01,
            -1e300,
            maxPoints + 0.01,
            Double.MAX_VALUE,
            1.001,
            0.005,
            -Double.MIN_VALUE));
  }

  /**
   * A timestamp: valid, out of the range google.protobuf.Timestamp allows, or with impossible
   * nanos.
   */
  static Timestamp anyTimestamp(Random r) {
    long now = System.currentTimeMillis() / 1000;
    return switch (r.nextInt(8)) {
      case 0 -> Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build();
      case 1 -> Timestamp.newBuilder().setSeconds(Long.MIN_VALUE).build();
      case 2 -> Timestamp.newBuilder().setSeconds(now).setNanos(-1).build();
      case 3 -> Timestamp.newBuilder().setSeconds(now).setNanos(1_000_000_000).build();
      case 4 -> Timestamp.newBuilder().setSeconds(253_402_300_800L).build(); // year 10000
      case 5 -> Timestamp.newBuilder().setSeconds(-62_135_596_801L).build(); // before year 1
      case 6 -> Timestamp.getDefaultInstance(); // 1970
      default -> Timestamp.newBuilder().setSeconds(now + r.nextInt(1_000_000) - 500_000).build();
    };
  }

  /** A timestamp outside the range google.protobuf.Timestamp allows. */
  static Timestamp badTimestamp(Random r) {
    long now = System.currentTimeMillis() / 1000;
    return switch (r.nextInt(6)) {
      case 0 -> Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build();
      case 1 -> Timestamp.newBuilder().setSeconds(Long.MIN_VALUE).build();
      case 2 -> Timestamp.newBuilder().setSeconds(now).setNanos(-1).build();
      case 3 -> Timestamp.newBuilder().setSeconds(now).setNanos(Integer.MAX_VALUE).build();
      case 4 -> Timestamp.newBuilder().setSeconds(253_402_300_800L).build();
      default -> Timestamp.newBuilder().setSeconds(-62_135_596_801L).build();
    };
  }

  static byte[] randomBytes(Random r, int maxLength) {
    byte[] bytes = new byte[r.nextInt(maxLength + 1)];
    r.nextBytes(bytes);
    return bytes;
  }
}
