package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.lms.testing.NodeLogFormat;

/**
 * {@code payara/logging.properties}, the nodes' logging: every record's line names the node it
 * comes from, whoever logged it (Payara, Ratis, the LMS), and both ways of starting a node pass the
 * file to Payara Micro.
 */
class LoggingPropertiesTest {
  private static final Path PROJECT = Path.of("").toAbsolutePath();

  @Test
  void everyRecordOfTheConsoleHandlerNamesTheNode() {
    Properties n2 = NodeLogFormat.forNode("n2");
    assertThat(n2.getProperty("handlers")).isEqualTo("java.util.logging.ConsoleHandler");
    assertThat(n2.getProperty("java.util.logging.ConsoleHandler.formatter"))
        .isEqualTo(SimpleFormatter.class.getName());

    LogRecord ratis = new LogRecord(Level.INFO, "n2@group-000000000001: changes role to {0}");
    ratis.setLoggerName("org.apache.ratis.server.RaftServer$Division");
    ratis.setParameters(new Object[] {"LEADER"});
    String line = format(n2, ratis);

    // the time in the JVM's zone, which ./lms and the container leave at the machine's
    assertThat(line).matches("(?s)" + NodeLogFormat.RECORD.pattern() + "\\R");
    assertThat(line.substring(line.indexOf("] ") + 2))
        .isEqualTo(
            "[n2] [INFO] [org.apache.ratis.server.RaftServer$Division]"
                + " n2@group-000000000001: changes role to LEADER"
                + System.lineSeparator());
  }

  @Test
  void aStackTraceFollowsTheRecordsLine() {
    LogRecord failed = new LogRecord(Level.SEVERE, "Exception during lifecycle processing");
    failed.setLoggerName("javax.enterprise.system.core");
    failed.setThrown(new IllegalStateException("node n3 could not start"));
    String[] lines = format(NodeLogFormat.forNode("n3"), failed).split("\\R");

    assertThat(lines[0])
        .matches(NodeLogFormat.RECORD)
        .contains("] [n3] [SEVERE] [javax.enterprise.system.core] Exception during lifecycle");
    assertThat(lines[1])
        .isEqualTo("java.lang.IllegalStateException: node n3 could not start")
        .doesNotMatch(NodeLogFormat.RECORD_START);
  }

  @Test
  void theNodeIdIsTheOnlyPlaceholder() {
    // Payara leaves an unknown ${ENV=...} as it is, and ./lms and the container set SERVER_NAME
    Properties n1 = NodeLogFormat.forNode("n1");
    assertThat(n1.getProperty(NodeLogFormat.FORMAT)).contains("[n1]").doesNotContain("${");
  }

  @Test
  void bothLaunchersPassTheFileToPayara() throws IOException {
    assertThat(LauncherScript.in(PROJECT).payaraFlags()).contains("--logproperties");
    assertThat(LauncherScript.in(PROJECT).function("launch_node"))
        .contains("--logproperties \"$ROOT/payara/logging.properties\"")
        .contains("export SERVER_NAME=\"$node\"");
    assertThat(Files.readString(PROJECT.resolve("payara/container-start.sh")))
        .contains("--logproperties /app/payara/logging.properties")
        .contains("export SERVER_NAME=");
  }

  private static String format(Properties config, LogRecord record) {
    return NodeLogFormat.withFormat(
        config.getProperty(NodeLogFormat.FORMAT), () -> new SimpleFormatter().format(record));
  }
}
