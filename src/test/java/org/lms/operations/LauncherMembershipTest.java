package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lms.testing.FreePorts;

/**
 * {@code ./lms}'s members and its {@code replace-node} refusals, run against a data directory of a
 * cluster whose nodes are not running: every refusal is one line naming what is wrong, exits 1 and
 * starts nothing. What a replacement does with running nodes is {@code NodeReplacementIT}'s.
 */
@Timeout(60)
class LauncherMembershipTest {

  private static final Path PROJECT = Path.of("").toAbsolutePath();

  @TempDir Path data;
  private int[] ports;

  /** The output and exit code of one {@code ./lms} run. */
  private record Run(int exitCode, String output) {}

  @BeforeEach
  void aClusterOfN1N2AndN4WhoseN3WasReplaced() throws IOException {
    ports = FreePorts.loopback(12);
    var env = new StringBuilder("# written by the test\nCLUSTER_NODES=\"n1 n2 n4\"\n");
    String[] nodes = {"n1", "n2", "n3", "n4"};
    for (int i = 0; i < nodes.length; i++) {
      String prefix = "CLUSTER_LMS_" + nodes[i].toUpperCase() + "_";
      env.append(prefix).append("HOST=127.0.0.1\n");
      env.append(prefix).append("HTTP_PORT=").append(ports[i]).append('\n');
      env.append(prefix).append("GRPC_PORT=").append(ports[4 + i]).append('\n');
      env.append(prefix).append("RAFT_PORT=").append(ports[8 + i]).append('\n');
    }
    Files.writeString(data.resolve("cluster.env"), env);
    Files.writeString(data.resolve("cluster-secret"), "launcher-test-secret-0123456789");
    Files.createDirectories(data.resolve("n3.replaced-20250901T080000"));
  }

  private Run lms(String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add(PROJECT.resolve("lms").toString());
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("LMS_"));
    builder.environment().put("LMS_DATA_DIR", data.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("./lms %s ended", args[0]).isTrue();
    return new Run(process.exitValue(), output);
  }

  private void assertRefused(Run run, String message) throws IOException {
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output().strip()).as("one line").doesNotContain("\n").contains(message);
    try (var dirs = Files.list(data)) {
      assertThat(dirs.map(p -> p.getFileName().toString()))
          .as("nothing created")
          .containsExactlyInAnyOrder(
              "cluster.env", "cluster-secret", "n3.replaced-20250901T080000");
    }
    assertThat(Files.readString(data.resolve("cluster.env")))
        .contains("CLUSTER_NODES=\"n1 n2 n4\"");
  }

  @Test
  void theMembersComeFromClusterEnv() throws Exception {
    Run status = lms("status");
    assertThat(status.output()).containsPattern("(?m)^n4 +down").doesNotContainPattern("(?m)^n3 ");
    assertThat(status.exitCode()).as("nodes are down").isEqualTo(1);

    assertThat(lms("stop-node", "n4").exitCode()).isZero();
    assertRefused(lms("stop-node", "n3"), "unknown node 'n3' (one of: n1 n2 n4)");
    assertRefused(lms("start-node", "n3"), "unknown node 'n3' (one of: n1 n2 n4)");
  }

  @Test
  void refusesAnUnknownNode() throws Exception {
    assertRefused(lms("replace-node", "n9"), "replace-node: unknown node 'n9' (members: n1 n2 n4)");
    assertRefused(lms("replace-node", "n3", "n5"), "unknown node 'n3'");
  }

  @Test
  void refusesANewIdThatIsMalformedOrWasUsed() throws Exception {
    assertRefused(lms("replace-node", "n4", "N5"), "'N5' is not a node id");
    assertRefused(lms("replace-node", "n4", "n5;rm"), "is not a node id");
    assertRefused(lms("replace-node", "n4", "n4"), "the new node needs a new id, not n4");
    assertRefused(lms("replace-node", "n4", "n3"), "n3 is or was a node of this cluster");
    assertRefused(lms("replace-node", "n4", "n2"), "n2 is or was a node of this cluster");
  }

  @Test
  void refusesToReplaceANodeThatRuns() throws Exception {
    // a process carrying n4's marker, as ./lms starts a node's JVM
    Path n4 = Files.createDirectories(data.resolve("n4"));
    Process running = // two commands: bash would exec a lone one and lose its command line
        new ProcessBuilder("bash", "-c", "sleep 30; exit 0", "-Dlms.node.dir=" + n4).start();
    try {
      Files.writeString(n4.resolve("node.pid"), running.pid() + "\n");
      Run run = lms("replace-node", "n4", "n5");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.output())
          .contains("replace-node: n4 is running (pid " + running.pid() + ")")
          .contains("only a dead node is replaced");
    } finally {
      running.destroyForcibly().waitFor();
    }
  }

  @Test
  void refusesToReplaceANodeWhoseAddressAnswers() throws Exception {
    try (var raftPort = new ServerSocket(ports[8 + 3], 1, InetAddress.getLoopbackAddress())) {
      assertRefused(lms("replace-node", "n4"), "something answers at n4's address");
    }
  }

  @Test
  void refusesWithoutAReadyMajority() throws Exception {
    assertRefused(
        lms("replace-node", "n4"),
        "the cluster has no ready majority without n4: no node ready of n1 n2 n4, 2 needed");
  }

  @Test
  void refusesWithoutACluster() throws Exception {
    Files.delete(data.resolve("cluster.env"));
    assertThat(lms("replace-node", "n3").output()).contains("replace-node: no cluster under");
  }

  @Test
  void helpAndDocsNameEveryCommand() throws Exception {
    Set<String> commands = commandsOf(LauncherScript.in(PROJECT).function("main"));
    assertThat(commands).contains("replace-node", "start-node", "stop-node");
    String help = lms("help").output();
    String operations = Files.readString(PROJECT.resolve("docs/operations.md"));
    for (String command : commands) {
      assertThat(help).as("./lms help").containsPattern("(?m)^  " + Pattern.quote(command) + "\\b");
      assertThat(operations)
          .as("docs/operations.md's command table")
          .containsPattern("(?m)^\\| `\\./lms " + Pattern.quote(command) + "\\b");
    }
  }

  /** The commands {@code main} dispatches ({@code name) cmd_...}), help and its aliases aside. */
  private static Set<String> commandsOf(String main) {
    Set<String> commands = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?m)^\\s+([a-z-]+)\\) cmd_").matcher(main);
    while (m.find()) {
      commands.add(m.group(1));
    }
    return commands;
  }
}
