package org.lms.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link NodeNetwork} without Payara: a listener in every node's namespace, probed from the other
 * namespaces and from the root namespace (this JVM) while links are cut, a node is isolated and
 * everything is healed; nothing is left behind. Needs root, like the fault-injection suite.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NodeNetworkIT {

  /** How long a probe waits for an answer; a cut link answers never. */
  private static final int PROBE_SECONDS = 2;

  /** What {@code timeout} exits with when the command ran out of time. */
  private static final int TIMED_OUT = 124;

  @Test
  void cutsIsolatesAndHealsBothDirectionsWhileTheRootNamespaceReachesEveryNode() throws Exception {
    int port = FreePorts.loopback(1)[0];
    String token;
    var network = NodeNetwork.create(3);
    try (var listeners = Listeners.start(network, port)) {
      token = tokenOf(network);
      assertThat(NodeNetwork.namespaces()).contains(network.namespace(1), network.namespace(3));
      assertThat(network.host(2)).startsWith("10.").endsWith(".2");

      assertAllLinksUp(network, port);

      network.cut(1, 2);
      assertThat(network.cutLinks()).containsExactly(Set.of(1, 2));
      assertThat(probe(network, 1, 2, port)).as("1 -> 2 cut").isEqualTo(TIMED_OUT);
      assertThat(probe(network, 2, 1, port)).as("2 -> 1 cut").isEqualTo(TIMED_OUT);
      assertThat(probe(network, 1, 3, port)).as("1 -> 3").isZero();
      assertThat(probe(network, 3, 1, port)).as("3 -> 1").isZero();
      assertThat(probe(network, 2, 3, port)).as("2 -> 3").isZero();
      assertThat(fromRoot(network, 2, port)).as("root -> 2").isTrue();
      assertThat(fromRoot(network, 1, port)).as("root -> 1").isTrue();

      network.heal(2, 1);
      assertThat(network.cutLinks()).isEmpty();
      assertThat(probe(network, 1, 2, port)).as("1 -> 2 healed").isZero();
      assertThat(probe(network, 2, 1, port)).as("2 -> 1 healed").isZero();

      network.isolate(2);
      assertThat(network.cutLinks()).containsExactlyInAnyOrder(Set.of(1, 2), Set.of(2, 3));
      for (int other : new int[] {1, 3}) {
        assertThat(probe(network, 2, other, port)).as("2 -> " + other).isEqualTo(TIMED_OUT);
        assertThat(probe(network, other, 2, port)).as(other + " -> 2").isEqualTo(TIMED_OUT);
      }
      assertThat(probe(network, 1, 3, port)).as("1 -> 3 while 2 is isolated").isZero();
      assertThat(probe(network, 3, 1, port)).as("3 -> 1 while 2 is isolated").isZero();
      assertThat(fromRoot(network, 2, port)).as("root -> isolated 2").isTrue();

      network.healAll();
      assertThat(network.cutLinks()).isEmpty();
      assertAllLinksUp(network, port);
    } finally {
      network.close();
    }
    network.close(); // safe twice

    String ours = token;
    assertThat(NodeNetwork.namespaces()).noneMatch(ns -> ns.contains(ours));
    assertThat(NodeNetwork.ip("-o", "link", "show")).doesNotContain(ours);
  }

  @Test
  void createRemovesWhatARunWhoseOwnerDiedLeftBehind() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    assertThat(ProcessHandle.of(gone.pid())).isEmpty();
    String deadToken = Long.toString(gone.pid(), 36) + "_zzz";
    NodeNetwork.ip("netns", "add", "lmsnet_" + deadToken + "_1");
    NodeNetwork.ip("link", "add", "lnb_" + deadToken, "type", "bridge");
    try (var network = NodeNetwork.create(1)) {
      assertThat(NodeNetwork.namespaces()).noneMatch(ns -> ns.contains(deadToken));
      assertThat(NodeNetwork.ip("-o", "link", "show")).doesNotContain(deadToken);
      assertThat(NodeNetwork.namespaces()).contains(network.namespace(1));
    }
  }

  // ---------------------------------------------------------------- probes

  private static void assertAllLinksUp(NodeNetwork network, int port) throws Exception {
    for (int from = 1; from <= 3; from++) {
      assertThat(fromRoot(network, from, port)).as("root -> " + from).isTrue();
      for (int to = 1; to <= 3; to++) {
        if (from != to) {
          assertThat(probe(network, from, to, port)).as(from + " -> " + to).isZero();
        }
      }
    }
  }

  /**
   * Connects from node {@code from}'s namespace to node {@code to}'s listener; 0 when it answered,
   * {@link #TIMED_OUT} when nothing came back in time (what a cut link does), else bash's error.
   */
  private static int probe(NodeNetwork network, int from, int to, int port) throws Exception {
    Process probe =
        new ProcessBuilder(
                NodeNetwork.IP_BINARY,
                "netns",
                "exec",
                network.namespace(from),
                "timeout",
                String.valueOf(PROBE_SECONDS),
                "bash",
                "-c",
                "exec 3<>\"/dev/tcp/$0/$1\" && cat <&3",
                network.host(to),
                String.valueOf(port))
            .redirectErrorStream(true)
            .start();
    String output = read(probe.getInputStream());
    if (!probe.waitFor(PROBE_SECONDS + 10, TimeUnit.SECONDS)) {
      probe.destroyForcibly();
      throw new AssertionError("the probe " + from + " -> " + to + " did not end");
    }
    int exit = probe.exitValue();
    if (exit == 0 && !output.startsWith("ok " + to)) {
      throw new AssertionError(from + " -> " + to + " reached the wrong listener: " + output);
    }
    return exit;
  }

  /** Whether this JVM, in the root namespace, gets an answer from node {@code to}'s listener. */
  private static boolean fromRoot(NodeNetwork network, int to, int port) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(network.host(to), port), PROBE_SECONDS * 1000);
      socket.setSoTimeout(PROBE_SECONDS * 1000);
      return read(socket.getInputStream()).startsWith("ok " + to);
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static String tokenOf(NodeNetwork network) {
    String ns = network.namespace(1); // lmsnet_<token>_1
    return ns.substring("lmsnet_".length(), ns.length() - "_1".length());
  }

  // ---------------------------------------------------------------- listeners

  /**
   * One {@link Listener} JVM per node, inside that node's namespace ({@code ip netns exec ...
   * java}: nothing but a JDK is needed there).
   */
  private record Listeners(List<Process> processes) implements AutoCloseable {

    static Listeners start(NodeNetwork network, int port) throws Exception {
      var listeners = new Listeners(new ArrayList<>());
      try {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes =
            Path.of(Listener.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        for (int node = 1; node <= network.size(); node++) {
          listeners.processes.add(
              new ProcessBuilder(
                      NodeNetwork.IP_BINARY,
                      "netns",
                      "exec",
                      network.namespace(node),
                      java,
                      "-Xmx32m",
                      "-XX:TieredStopAtLevel=1",
                      "-cp",
                      classes,
                      Listener.class.getName(),
                      network.host(node),
                      String.valueOf(port),
                      String.valueOf(node))
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                  .start());
        }
        for (int node = 1; node <= network.size(); node++) {
          int n = node;
          ClusterProcesses.await(
              Duration.ofSeconds(60),
              "the listener of node " + n + " answers",
              () -> fromRoot(network, n, port));
        }
        return listeners;
      } catch (Exception | Error e) {
        listeners.close();
        throw e;
      }
    }

    @Override
    public void close() {
      for (Process process : processes) {
        process.destroyForcibly();
      }
      for (Process process : processes) {
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Run inside a namespace: answers every connection on {@code host:port} with {@code ok <node>}
   * and closes it; ends when its standard input does (the test closed it or died).
   */
  public static final class Listener {
    public static void main(String[] args) throws IOException {
      var server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
      byte[] answer = ("ok " + args[2] + "\n").getBytes(StandardCharsets.UTF_8);
      var acceptor =
          new Thread(
              () -> {
                while (true) {
                  try (Socket client = server.accept()) {
                    client.getOutputStream().write(answer);
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      System.in.transferTo(OutputStream.nullOutputStream());
      server.close();
    }
  }
}
