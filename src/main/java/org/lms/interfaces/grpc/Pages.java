package org.lms.interfaces.grpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.lms.domain.state.Checks;

/**
 * Pages of a list the application returned in its order. A page token is opaque to clients; it
 * holds the position of the next item and a fingerprint of the list it belongs to (the rpc and its
 * parameters), so a token of another list is refused rather than silently misread. Positions are
 * offsets: an item added or removed between two pages can shift the rest by one.
 */
final class Pages {
  static final int DEFAULT_SIZE = 50;
  static final int MAX_SIZE = 500;

  private static final String VERSION = "p1";

  private Pages() {}

  /** One page of items and the token of the next page ("" when this is the last). */
  record Page<T>(List<T> items, String nextPageToken) {}

  /**
   * The page of {@code all} that {@code pageToken} points to.
   *
   * @param list the rpc and every parameter that selects the list, e.g. {@code "ListMaterials",
   *     courseId}
   */
  static <T> Page<T> of(List<T> all, int pageSize, String pageToken, String... list) {
    if (pageSize < 0) {
      throw Checks.invalid("page_size", "must not be negative");
    }
    int size = pageSize == 0 ? DEFAULT_SIZE : Math.min(pageSize, MAX_SIZE);
    String fingerprint = fingerprint(list);
    int from = pageToken.isEmpty() ? 0 : offset(pageToken, fingerprint);
    if (from >= all.size()) {
      return new Page<>(List.of(), "");
    }
    int to = (int) Math.min((long) from + size, all.size());
    String next = to < all.size() ? token(to, fingerprint) : "";
    return new Page<>(all.subList(from, to), next);
  }

  private static String token(int offset, String fingerprint) {
    String plain = VERSION + ":" + offset + ":" + fingerprint;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
  }

  private static int offset(String token, String fingerprint) {
    String[] parts;
    try {
      parts =
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII).split(":");
    } catch (IllegalArgumentException e) {
      throw badToken();
    }
    if (parts.length != 3 || !parts[0].equals(VERSION) || !parts[2].equals(fingerprint)) {
      throw badToken();
    }
    try {
      int offset = Integer.parseInt(parts[1]);
      if (offset < 0) {
        throw badToken();
      }
      return offset;
    } catch (NumberFormatException e) {
      throw badToken();
    }
  }

  private static RuntimeException badToken() {
    return Checks.invalid(
        "page_token", "is not a next_page_token of this list; start again with an empty token");
  }

  private static String fingerprint(String... list) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : list) {
        sha.update((part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
