package org.lms.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-owned network that gives every node of a cluster its own Linux network namespace and IPv4
 * address, so a fault-injection test can cut links between nodes for real, in both directions,
 * while the test JVM (in the root namespace) still reaches every node. Needs root and iproute2
 * ({@code ip}); {@link ClusterProcesses} runs each node inside its namespace through {@code
 * LMS_<NODE>_NETNS}.
 *
 * <p>Why namespaces and not a proxy per pair of nodes: Ratis replicates the peer addresses of the
 * leader's configuration to every member, so a node cannot keep its own view of where its peers
 * are, and a proxy in between is bypassed. A namespace owns the node's traffic whichever address it
 * dials: a cut drops the packets each side sends to the other.
 *
 * <p>Layout: a bridge in the root namespace with address {@code .254} of a {@code /24} picked at
 * random under {@code 10.0.0.0/8} (one that no route or address of this machine overlaps); per node
 * a namespace with {@code lo} up (the node's embedded MongoDB binds 127.0.0.1) and a veth pair
 * whose inner end is {@code eth0} with address {@code .1}, {@code .2}, ... A cut routes the peer's
 * {@code /32} into a sink on both sides: a veth pair inside the namespace whose other end stays
 * down and which does no ARP, so packets vanish without an error. New connections then time out and
 * established ones stall, as in a real partition ({@code blackhole} routes would fail a {@code
 * connect} at once with {@code EINVAL}, and this kernel has neither the {@code dummy} device nor
 * tc's drop action). Healing deletes the routes; stalled connections resume.
 *
 * <p>Names carry the owner's pid and a random token, fit the 15 characters of an interface name,
 * and let {@link #create} remove what earlier runs whose owner died left behind. Nothing else on
 * the machine is touched. {@link #close()} (also run by a JVM shutdown hook) deletes the
 * namespaces, veth pairs and bridge.
 */
public final class NodeNetwork implements AutoCloseable {

  /** Most nodes one network holds: one digit in the interface names. */
  public static final int MAX_NODES = 9;

  private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);

  /** iproute2's {@code ip}: root's PATH has it, a test JVM's PATH may not. */
  static final String IP_BINARY =
      List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip").stream()
          .filter(p -> Files.isExecutable(Path.of(p)))
          .findFirst()
          .orElse("ip");

  /** What every name this class gives starts with: namespace, bridge, host and peer veth. */
  private static final String NAMESPACE = "lmsnet_";

  private static final String BRIDGE = "lnb_";
  private static final String HOST_VETH = "lnv_";
  private static final String PEER_VETH = "lnp_";

  /** The sink a cut routes to: one end of a veth pair whose other end stays down. */
  private static final String SINK = "cut0";

  private static final String SINK_PEER = "cut1";

  /** {@code <prefix><owner pid, base 36>_<3 random base-36 characters>[_<node>]}. */
  private static final Pattern OURS =
      Pattern.compile("(lmsnet|lnb|lnv|lnp)_([0-9a-z]{1,6})_([0-9a-z]{3})(?:_([1-9]))?");

  private static final Pattern INET = Pattern.compile("\\binet\\s+(\\S+)");
  private static final Pattern LINK_NAME = Pattern.compile("^\\d+:\\s+([^:@\\s]+)");
  private static final Pattern IPV4_PREFIX =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

  /** Route types {@code ip route show} may name before a route's destination. */
  private static final Set<String> ROUTE_TYPES =
      Set.of(
          "unicast",
          "local",
          "broadcast",
          "multicast",
          "anycast",
          "blackhole",
          "unreachable",
          "prohibit",
          "throw",
          "nat");

  private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final int size;
  private final String token;
  private final String subnet;
  private final Set<Set<Integer>> cut = new LinkedHashSet<>();
  private final Thread shutdownHook;
  private boolean closed;

  private NodeNetwork(int size, String token, String subnet) {
    this.size = size;
    this.token = token;
    this.subnet = subnet;
    this.shutdownHook = new Thread(this::closeQuietly, "node-network-shutdown");
  }

  /**
   * Creates the namespaces, veth pairs and bridge of {@code nodes} nodes, all links up, after
   * removing what earlier runs whose owner process died left behind.
   *
   * @throws IllegalStateException if this JVM does not run as root, or {@code ip netns} is unusable
   */
  public static NodeNetwork create(int nodes) {
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new IllegalArgumentException("nodes must be 1.." + MAX_NODES + ", not " + nodes);
    }
    long uid = effectiveUid();
    if (uid != 0) {
      throw new IllegalStateException(
          "NodeNetwork needs root to create network namespaces; this JVM runs as uid " + uid);
    }
    ip("netns", "list"); // fails clearly if iproute2 is missing or has no netns support
    removeLeftovers();
    String token = newToken();
    var network = new NodeNetwork(nodes, token, freeSubnet());
    Runtime.getRuntime().addShutdownHook(network.shutdownHook);
    try {
      network.build();
      return network;
    } catch (RuntimeException | Error e) {
      network.closeQuietly();
      throw e;
    }
  }

  /** How many nodes this network has. */
  public int size() {
    return size;
  }

  /** The IPv4 address of node {@code node} (1-based), inside its namespace. */
  public String host(int node) {
    return subnet + checkNode(node);
  }

  /** The name of node {@code node}'s network namespace (for {@code ip netns exec}). */
  public String namespace(int node) {
    return NAMESPACE + token + "_" + checkNode(node);
  }

  /**
   * Cuts {@code node} from every other node, both directions. The root namespace (the test JVM)
   * still reaches it.
   */
  public synchronized void isolate(int node) {
    checkNode(node);
    for (int other = 1; other <= size; other++) {
      if (other != node) {
        cut(node, other);
      }
    }
  }

  /** Cuts the link between {@code a} and {@code b}, both directions; nothing if it is cut. */
  public synchronized void cut(int a, int b) {
    Set<Integer> link = link(a, b);
    if (cut.contains(link)) {
      return;
    }
    ip("-n", namespace(a), "route", "replace", host(b) + "/32", "dev", SINK);
    try {
      ip("-n", namespace(b), "route", "replace", host(a) + "/32", "dev", SINK);
    } catch (RuntimeException e) {
      deleteRoute(a, b);
      throw e;
    }
    cut.add(link);
  }

  /** Restores the link between {@code a} and {@code b}; nothing if it is not cut. */
  public synchronized void heal(int a, int b) {
    Set<Integer> link = link(a, b);
    if (!cut.contains(link)) {
      return;
    }
    deleteRoute(a, b);
    deleteRoute(b, a);
    cut.remove(link);
  }

  /** Restores every cut link. */
  public synchronized void healAll() {
    for (Set<Integer> link : List.copyOf(cut)) {
      var ends = new ArrayList<>(link);
      heal(ends.get(0), ends.get(1));
    }
  }

  /** The links cut now, each as the set of its two nodes. */
  public synchronized Set<Set<Integer>> cutLinks() {
    return Set.copyOf(cut);
  }

  /**
   * Deletes the namespaces, veth pairs and bridge; safe to call twice. Processes still running in a
   * namespace keep it alive, but without a link: their veth pair is deleted from the root side.
   *
   * @throws IllegalStateException naming what could not be deleted, after trying everything
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: nothing to remove
    }
    cut.clear();
    List<String> failures = deleteOwned(token);
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "could not delete all of network " + token + ": " + String.join("; ", failures));
    }
  }

  @Override
  public String toString() {
    return "NodeNetwork[" + token + ", " + subnet + "0/24, " + size + " nodes, cut " + cut + "]";
  }

  // ---------------------------------------------------------------- internals

  private void build() {
    String bridge = BRIDGE + token;
    ip("link", "add", bridge, "type", "bridge");
    ip("addr", "add", subnet + "254/24", "dev", bridge);
    ip("link", "set", bridge, "up");
    for (int node = 1; node <= size; node++) {
      String ns = namespace(node);
      String hostEnd = HOST_VETH + token + "_" + node;
      String peerEnd = PEER_VETH + token + "_" + node;
      ip("netns", "add", ns);
      ip("-n", ns, "link", "set", "lo", "up");
      ip("link", "add", hostEnd, "type", "veth", "peer", "name", peerEnd, "netns", ns);
      ip("link", "set", hostEnd, "master", bridge, "up");
      ip("-n", ns, "link", "set", peerEnd, "name", "eth0");
      ip("-n", ns, "addr", "add", host(node) + "/24", "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
      // the sink: without a peer that is up and without ARP, what is routed here is dropped
      ip("-n", ns, "link", "add", SINK, "type", "veth", "peer", "name", SINK_PEER);
      ip("-n", ns, "link", "set", SINK, "arp", "off", "up");
    }
  }

  private void deleteRoute(int from, int to) {
    try {
      ip("-n", namespace(from), "route", "del", host(to) + "/32", "dev", SINK);
    } catch (IllegalStateException e) {
      if (!e.getMessage().contains("No such process")) { // ip's words for "no such route"
        throw e;
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.out.println("NodeNetwork: " + e.getMessage());
    }
  }

  private Set<Integer> link(int a, int b) {
    checkNode(a);
    checkNode(b);
    if (a == b) {
      throw new IllegalArgumentException("a node has no link to itself: " + a);
    }
    return Set.of(a, b);
  }

  private int checkNode(int node) {
    if (node < 1 || node > size) {
      throw new IllegalArgumentException("no node " + node + " (1.." + size + ")");
    }
    return node;
  }

  /**
   * Deletes every namespace and link whose name carries {@code token}: the host ends of the veth
   * pairs first (which deletes both ends, also when a process still holds its namespace), then the
   * namespaces and the bridge. Returns what failed.
   */
  private static List<String> deleteOwned(String token) {
    var failures = new ArrayList<String>();
    for (String link : ourNames(links(), token)) {
      if (link.startsWith(HOST_VETH)) {
        tryIp(failures, "link", "del", link);
      }
    }
    for (String ns : ourNames(namespaces(), token)) {
      tryIp(failures, "netns", "del", ns);
    }
    for (String link : ourNames(links(), token)) {
      tryIp(failures, "link", "del", link);
    }
    return failures;
  }

  private static void tryIp(List<String> failures, String... args) {
    try {
      ip(args);
    } catch (RuntimeException e) {
      failures.add(e.getMessage());
    }
  }

  /** Removes the networks of earlier runs whose owner process no longer runs. */
  private static void removeLeftovers() {
    var deadTokens = new TreeSet<String>();
    for (String name : union(namespaces(), links())) {
      Matcher m = OURS.matcher(name);
      if (m.matches()) {
        long owner = Long.parseLong(m.group(2), 36);
        if (ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true)) {
          deadTokens.add(m.group(2) + "_" + m.group(3));
        }
      }
    }
    for (String token : deadTokens) {
      List<String> failures = deleteOwned(token);
      System.out.println(
          "NodeNetwork: removed the leftovers of network "
              + token
              + (failures.isEmpty() ? "" : ", except: " + failures));
    }
  }

  private static List<String> union(List<String> a, List<String> b) {
    var all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> ourNames(List<String> names, String token) {
    return names.stream()
        .filter(
            name -> {
              Matcher m = OURS.matcher(name);
              return m.matches() && token.equals(m.group(2) + "_" + m.group(3));
            })
        .toList();
  }

  /** The names of every network namespace on this machine ({@code ip netns list}). */
  static List<String> namespaces() {
    // "name" or "name (id: 3)"
    return ip("netns", "list")
        .lines()
        .map(l -> l.split("\\s+")[0])
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static List<String> links() {
    return ip("-o", "link", "show")
        .lines()
        .map(LINK_NAME::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .toList();
  }

  /** A token not in use: this JVM's pid (base 36) and three random characters. */
  private static String newToken() {
    String pid = Long.toString(ProcessHandle.current().pid(), 36);
    Set<String> taken = new TreeSet<>(union(namespaces(), links()));
    for (int attempt = 0; attempt < 100; attempt++) {
      var random = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        random.append(BASE36.charAt(RANDOM.nextInt(BASE36.length())));
      }
      String token = pid + "_" + random;
      if (taken.stream().noneMatch(name -> name.contains(token))) {
        return token;
      }
    }
    throw new IllegalStateException("no free network token after 100 attempts");
  }

  /** {@code "10.a.b."} of a random /24 no address or route of this machine overlaps. */
  private static String freeSubnet() {
    var used = new ArrayList<long[]>(); // {network, prefix length}
    for (String line : ip("-4", "-o", "addr", "show").lines().toList()) {
      Matcher m = INET.matcher(line);
      if (m.find()) {
        parsePrefix(m.group(1)).ifPresent(used::add);
      }
    }
    for (String line : ip("-4", "route", "show", "table", "all").lines().toList()) {
      String[] words = line.trim().split("\\s+");
      String destination = words.length > 1 && ROUTE_TYPES.contains(words[0]) ? words[1] : words[0];
      parsePrefix(destination).ifPresent(used::add); // "default" parses to nothing: skipped
    }
    for (int attempt = 0; attempt < 1000; attempt++) {
      int a = RANDOM.nextInt(256);
      int b = RANDOM.nextInt(256);
      long candidate = (10L << 24) | ((long) a << 16) | ((long) b << 8);
      if (used.stream().noneMatch(p -> overlaps(candidate, 24, p[0], (int) p[1]))) {
        return "10." + a + "." + b + ".";
      }
    }
    throw new IllegalStateException("no free /24 under 10.0.0.0/8 after 1000 attempts");
  }

  private static Optional<long[]> parsePrefix(String text) {
    Matcher m = IPV4_PREFIX.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long address = 0;
    for (int i = 1; i <= 4; i++) {
      address = (address << 8) | Integer.parseInt(m.group(i));
    }
    int length = m.group(5) == null ? 32 : Integer.parseInt(m.group(5));
    return Optional.of(new long[] {address, length});
  }

  private static boolean overlaps(long a, int aLength, long b, int bLength) {
    int shared = Math.min(aLength, bLength);
    long mask = shared == 0 ? 0 : (0xFFFF_FFFFL << (32 - shared)) & 0xFFFF_FFFFL;
    return (a & mask) == (b & mask);
  }

  private static long effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.split("\\s+")[2]); // real, effective, saved, filesystem
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot tell this JVM's uid from /proc/self/status", e);
    }
    throw new IllegalStateException("no Uid line in /proc/self/status");
  }

  /** Runs {@code ip args} with a bound; returns its output, or throws with its stderr. */
  static String ip(String... args) {
    var command = new ArrayList<String>();
    command.add(IP_BINARY);
    command.addAll(List.of(args));
    String shown = "ip " + String.join(" ", args);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          shown + ": cannot run " + IP_BINARY + " (is iproute2 installed?): " + e.getMessage(), e);
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<String> out = readAsync(process.getInputStream());
      CompletableFuture<String> err = readAsync(process.getErrorStream());
      if (!process.waitFor(IP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(shown + " took over " + IP_TIMEOUT);
      }
      String stderr = err.get(5, TimeUnit.SECONDS).trim();
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            shown + " failed (exit " + process.exitValue() + "): " + stderr);
      }
      return out.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(shown + " was interrupted", e);
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException(shown + ": cannot read its output: " + e, e);
    }
  }

  /** Reads a stream to its end on a thread of its own (not a pool a blocked read could starve). */
  private static CompletableFuture<String> readAsync(InputStream stream) {
    var text = new CompletableFuture<String>();
    var reader =
        new Thread(
            () -> {
              try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "ip-output");
    reader.setDaemon(true);
    reader.start();
    return text;
  }
}
