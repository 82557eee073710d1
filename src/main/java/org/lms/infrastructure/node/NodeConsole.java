package org.lms.infrastructure.node;

import java.io.PrintStream;
import java.util.Properties;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * The node's lifecycle lines (started, stopping, stopped, a chore that failed) on standard output,
 * in the format of the node's log ({@code payara/logging.properties}: time, node id, level, logger,
 * message). Not through a logger: when a SIGTERM stops the JVM, Java's own shutdown hook has often
 * closed the log handlers by the time Payara undeploys the application, and "stopping" and
 * "stopped" are the lines an operator looks for then.
 */
final class NodeConsole {

  /** The property that holds {@link SimpleFormatter}'s format, in the logging configuration. */
  static final String FORMAT = "java.util.logging.SimpleFormatter.format";

  private final Formatter formatter;
  private final String loggerName;
  private final PrintStream out;

  /**
   * A console whose lines name {@code loggerName} as their logger. The format is read now, while
   * the logging configuration is in place; later resets of Java's logging do not change it.
   */
  NodeConsole(String loggerName, PrintStream out) {
    this.formatter = new SimpleFormatter();
    this.loggerName = loggerName;
    this.out = out;
  }

  /**
   * The console of the node starting in this JVM. It also keeps the configured log format for after
   * Java resets its logging at exit: Payara's very last line ("Payara Micro STOPPED.") goes through
   * a handler made after that reset, which takes its format from the system property.
   */
  static NodeConsole of(Class<?> owner) {
    keepFormat(LogManager.getLogManager().getProperty(FORMAT), System.getProperties());
    return new NodeConsole(owner.getName(), System.out);
  }

  /**
   * Copies the logging configuration's {@code format} into the {@code system} properties, unless
   * they name one already (an operator's {@code -D} option wins) or the configuration has none.
   */
  static void keepFormat(String format, Properties system) {
    if (format != null && !format.isBlank()) {
      system.putIfAbsent(FORMAT, format);
    }
  }

  void info(String message) {
    write(Level.INFO, message, null);
  }

  void warning(String message) {
    write(Level.WARNING, message, null);
  }

  void warning(String message, Throwable thrown) {
    write(Level.WARNING, message, thrown);
  }

  private synchronized void write(Level level, String message, Throwable thrown) {
    LogRecord line = new LogRecord(level, message);
    line.setLoggerName(loggerName);
    line.setThrown(thrown);
    out.print(formatter.format(line));
    out.flush();
  }
}
