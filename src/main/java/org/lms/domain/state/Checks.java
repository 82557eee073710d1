package org.lms.domain.state;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Input rules shared by every handler (and by use cases that check early). Each failure names the
 * field at fault. Limits are part of the replicated rules, so they are constants, not
 * configuration.
 */
public final class Checks {

  public static final int MAX_ID = 64;
  public static final int MAX_NAME = 200;
  public static final int MAX_TITLE = 200;
  public static final int MAX_FILE_NAME = 255;
  public static final int MAX_MEDIA_TYPE = 255;
  public static final int MAX_LONG_TEXT = 20_000;
  public static final int MAX_QUESTION = 10_000;
  public static final int MAX_POINTS = 10_000;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ID + "}");
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
  private static final Pattern COURSE_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(;.*)?");

  private Checks() {}

  public static String id(String field, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw invalid(field, "must be 1-" + MAX_ID + " letters, digits, '-' or '_'");
    }
    return value;
  }

  public static String username(String field, String value) {
    if (value == null || !USERNAME.matcher(value).matches()) {
      throw invalid(
          field,
          "must be 3-64 lowercase letters, digits, '.', '_' or '-', starting with one of a-z0-9");
    }
    return value;
  }

  public static String courseCode(String field, String value) {
    if (value == null || !COURSE_CODE.matcher(value).matches()) {
      throw invalid(field, "must be 1-32 letters, digits, '.', '_' or '-'");
    }
    return value;
  }

  public static String sha256(String field, String value) {
    if (value == null || !SHA256.matcher(value).matches()) {
      throw invalid(field, "must be a SHA-256 in 64 lowercase hex digits");
    }
    return value;
  }

  /** A one-line text that must not be blank. */
  public static String line(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw invalid(field, "must not be blank");
    }
    if (value.length() > max) {
      throw invalid(field, "must be at most " + max + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw invalid(field, "must not contain control characters");
    }
    return value;
  }

  /** A multi-line text that must not be blank. */
  public static String text(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw invalid(field, "must not be blank");
    }
    return optionalText(field, value, max);
  }

  /** A multi-line text that may be empty; null counts as empty. */
  public static String optionalText(String field, String value, int max) {
    if (value == null) {
      return "";
    }
    if (value.length() > max) {
      throw invalid(field, "must be at most " + max + " characters");
    }
    if (value
        .chars()
        .anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
      throw invalid(field, "must not contain control characters other than line breaks and tabs");
    }
    return value;
  }

  public static String mediaType(String field, String value) {
    if (value == null || value.length() > MAX_MEDIA_TYPE || !MEDIA_TYPE.matcher(value).matches()) {
      throw invalid(field, "must be a media type such as application/pdf");
    }
    return value;
  }

  public static long positiveSize(String field, long value) {
    if (value <= 0) {
      throw invalid(field, "must be more than 0 bytes");
    }
    return value;
  }

  public static Instant instant(String field, Instant value) {
    if (value == null) {
      throw invalid(field, "is required");
    }
    return value;
  }

  public static <T> T present(String field, T value) {
    if (value == null) {
      throw invalid(field, "is required");
    }
    return value;
  }

  public static RejectedException invalid(String field, String message) {
    return new RejectedException(RejectionReason.INVALID_FIELD, field, field + " " + message);
  }
}
