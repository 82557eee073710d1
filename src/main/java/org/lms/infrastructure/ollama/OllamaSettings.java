package org.lms.infrastructure.ollama;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How this node reaches its model server, read from MicroProfile Config (defaults in {@code
 * microprofile-config.properties}, environment variables of the same name win).
 *
 * @param url {@code OLLAMA_URL}, the server's base address
 * @param model {@code LMS_AI_MODEL}, e.g. {@code gemma2:2b}
 * @param replyTimeout {@code LMS_AI_TIMEOUT_MS}, the bound on one whole reply
 * @param connectTimeout {@code LMS_AI_CONNECT_TIMEOUT_MS}
 * @param healthTimeout {@code LMS_AI_HEALTH_TIMEOUT_MS}, for {@code /api/tags}
 * @param numCtx {@code LMS_AI_NUM_CTX}, the context window asked of Ollama (0: Ollama's default)
 */
record OllamaSettings(
    URI url,
    String model,
    Duration replyTimeout,
    Duration connectTimeout,
    Duration healthTimeout,
    int numCtx) {

  /** Used when a key has no value at all (the WAR's properties file normally gives one). */
  static final String DEFAULT_URL = "http://localhost:11434";

  static final String DEFAULT_MODEL = "gemma2:2b";

  /**
   * Reads every key; {@code lookup} returns a key's value, empty when unset.
   *
   * @throws IllegalArgumentException naming every bad key
   */
  static OllamaSettings read(Function<String, Optional<String>> lookup) {
    Function<String, Optional<String>> value =
        key -> lookup.apply(key).map(String::strip).filter(v -> !v.isEmpty());
    List<String> problems = new ArrayList<>();
    URI url = url(value.apply("OLLAMA_URL").orElse(DEFAULT_URL), problems);
    String model = value.apply("LMS_AI_MODEL").orElse(DEFAULT_MODEL);
    long reply = number(value, "LMS_AI_TIMEOUT_MS", 120_000, 1, problems);
    long connect = number(value, "LMS_AI_CONNECT_TIMEOUT_MS", 2_000, 1, problems);
    long health = number(value, "LMS_AI_HEALTH_TIMEOUT_MS", 2_000, 1, problems);
    long numCtx = number(value, "LMS_AI_NUM_CTX", 4_096, 0, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Bad AI settings: " + String.join("; ", problems));
    }
    return new OllamaSettings(
        url,
        model,
        Duration.ofMillis(reply),
        Duration.ofMillis(connect),
        Duration.ofMillis(health),
        (int) numCtx);
  }

  private static URI url(String text, List<String> problems) {
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add("OLLAMA_URL is not an http(s) URL: " + text);
    return null;
  }

  private static long number(
      Function<String, Optional<String>> value,
      String key,
      long fallback,
      long min,
      List<String> problems) {
    Optional<String> text = value.apply(key);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      long number = Long.parseLong(text.get());
      if (number >= min && number <= Integer.MAX_VALUE) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(key + " must be a whole number from " + min + ": " + text.get());
    return fallback;
  }
}
