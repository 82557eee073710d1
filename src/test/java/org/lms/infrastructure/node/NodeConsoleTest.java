package org.lms.infrastructure.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.lms.testing.NodeLogFormat;

class NodeConsoleTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @Test
  void linesHaveTheLogsFormatWithTheNodeId() {
    NodeConsole console = consoleOf("n2");

    console.info("LMS node n2 stopping");

    String line = printed.toString(StandardCharsets.UTF_8);
    assertThat(line.split("\\R")).hasSize(1);
    assertThat(line.strip())
        .matches(NodeLogFormat.RECORD)
        .endsWith("] [n2] [INFO] [" + LmsNode.class.getName() + "] LMS node n2 stopping");
  }

  @Test
  void theFormatStaysWhenTheLoggingConfigurationGoes() {
    NodeConsole console = consoleOf("n3"); // the format is read when the console is made

    console.warning("LMS node n3: Raft did not start", new IllegalStateException("no quorum"));

    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\\R");
    assertThat(lines[0])
        .matches(NodeLogFormat.RECORD)
        .contains("] [n3] [WARNING] [")
        .endsWith("LMS node n3: Raft did not start");
    assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: no quorum");
  }

  @Test
  void theConfiguredFormatIsKeptForHandlersMadeAfterAReset() {
    Properties system = new Properties();
    NodeConsole.keepFormat("[%1$tT] [n1] %5$s%n", system);
    assertThat(system.getProperty(NodeConsole.FORMAT)).isEqualTo("[%1$tT] [n1] %5$s%n");

    NodeConsole.keepFormat("[%1$tT] [n2] %5$s%n", system);
    assertThat(system.getProperty(NodeConsole.FORMAT))
        .as("a format given with -D wins")
        .isEqualTo("[%1$tT] [n1] %5$s%n");

    Properties unconfigured = new Properties();
    NodeConsole.keepFormat(null, unconfigured);
    assertThat(unconfigured).isEmpty();
  }

  private NodeConsole consoleOf(String nodeId) {
    String format = NodeLogFormat.forNode(nodeId).getProperty(NodeLogFormat.FORMAT);
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    return NodeLogFormat.withFormat(format, () -> new NodeConsole(LmsNode.class.getName(), out));
  }
}
