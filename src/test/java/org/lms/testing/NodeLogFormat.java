package org.lms.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.LogManager;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node log's format as the nodes get it: {@code payara/logging.properties} read the way Payara
 * Micro reads a {@code --logproperties} file (every {@code ${ENV=NAME}} replaced by that
 * environment variable, here the node id for {@code SERVER_NAME}), and the pattern a record's first
 * line in a node's log matches.
 */
public final class NodeLogFormat {

  /** The property {@link java.util.logging.SimpleFormatter} reads its format from. */
  public static final String FORMAT = "java.util.logging.SimpleFormatter.format";

  private static final Pattern ENV = Pattern.compile("\\$\\{ENV=([^}]*)\\}");

  /**
   * The first line of a record: {@code [time] [node id] [level] [logger] message}; group 1 is the
   * node id.
   */
  public static final Pattern RECORD =
      Pattern.compile(
          "^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4}\\] \\[([^\\]\\s]+)\\]"
              + " \\[[A-Z]+\\] \\[[^\\]\\s]+\\] .*");

  /** A line that begins a record (a time stamp in brackets), whatever follows. */
  public static final Pattern RECORD_START =
      Pattern.compile("^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*");

  private NodeLogFormat() {}

  /** {@code payara/logging.properties} of the project, as Payara reads it for node {@code id}. */
  public static Properties forNode(String id) {
    Properties raw = new Properties();
    try (InputStream in = Files.newInputStream(Path.of("payara", "logging.properties"))) {
      raw.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> environment = Map.of("SERVER_NAME", id);
    Properties resolved = new Properties();
    for (String key : raw.stringPropertyNames()) {
      Matcher placeholder = ENV.matcher(raw.getProperty(key));
      StringBuilder value = new StringBuilder();
      while (placeholder.find()) {
        String name = placeholder.group(1);
        String replacement = environment.get(name);
        if (replacement == null) {
          throw new AssertionError(key + " names ${ENV=" + name + "}, which no node sets");
        }
        placeholder.appendReplacement(value, Matcher.quoteReplacement(replacement));
      }
      placeholder.appendTail(value);
      resolved.setProperty(key, value.toString());
    }
    return resolved;
  }

  /**
   * Runs {@code action} (which makes a {@link java.util.logging.SimpleFormatter}) with {@code
   * format} as the formatter's format. SimpleFormatter takes it from the global logging
   * configuration first, then from the system property, which is set only for the call.
   */
  public static synchronized <T> T withFormat(String format, Supplier<T> action) {
    if (LogManager.getLogManager().getProperty(FORMAT) != null) {
      throw new AssertionError("the test JVM's logging configuration sets " + FORMAT);
    }
    String before = System.getProperty(FORMAT);
    System.setProperty(FORMAT, format);
    try {
      return action.get();
    } finally {
      if (before == null) {
        System.clearProperty(FORMAT);
      } else {
        System.setProperty(FORMAT, before);
      }
    }
  }
}
