package org.lms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Three real Payara Micro nodes started through the project's own {@code ./lms start}, on ports
 * picked at run time and a data directory under {@code target/}, for the process-level {@code
 * *IT}s. Starting costs about a minute, so a test class shares one instance; every test leaves the
 * cluster as it found it (restarts what it stopped). {@link #close()} stops every process it
 * started, and a JVM shutdown hook does the same if the test run dies first.
 *
 * <p>Nodes are numbered 1 to 3 ({@code n1}..{@code n3}). {@link #start(Options)} can put every node
 * into its own network namespace of a {@link NodeNetwork} (for fault injection) and give the nodes
 * extra settings. {@link #replaceNode} replaces a dead node by a new one numbered above them
 * ({@code n4}, ...); from then on the cluster's nodes are its {@link #members()}, as {@code ./lms}
 * records them in {@code cluster.env}.
 */
public final class ClusterProcesses implements AutoCloseable {

  public static final int SIZE = 3;

  /** The highest node number a replacement may take. */
  private static final int MAX_NODE = 9;

  /** How long {@code ./lms replace-node} may take: a node start, its catch-up, the change. */
  private static final Duration REPLACE_TIMEOUT = Duration.ofMinutes(6);

  /** How long {@code ./lms start} may take for three nodes on a busy 2-core machine. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

  /**
   * How long {@code ./lms restart} may take: three nodes stopped, started and caught up one after
   * another, each start a minute or two on a busy 2-core machine.
   */
  private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(12);

  /** What {@code ./lms} puts on every node's command line, followed by the node's directory. */
  private static final String NODE_MARKER = "-Dlms.node.dir=";

  private static final Pattern CLUSTER_NODES = Pattern.compile("CLUSTER_NODES=\"?([^\"]*)\"?");

  private static final Pattern MEMBERS = Pattern.compile("\"members\"\\s*:\\s*\\[([^\\]]*)\\]");

  private static final Pattern FIELD =
      Pattern.compile("\"(\\w+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,}\\s]+))");

  private final Path projectDir;
  private final Path dataDir;
  private final NodeNetwork network;
  private final Map<String, String> environment;

  /** The ports of the nodes that replaced others ({@code LMS_N4_HTTP_PORT}, ...). */
  private final Map<String, String> replacementEnvironment = new ConcurrentHashMap<>();

  private final int[] httpPorts = new int[MAX_NODE];
  private final int[] grpcPorts = new int[MAX_NODE];
  private final String adminPassword;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread shutdownHook;
  private boolean closed;

  private ClusterProcesses(Path projectDir, Options options) {
    this.projectDir = projectDir;
    this.network = options.network;
    this.dataDir =
        projectDir
            .resolve("target")
            .resolve("it-cluster-" + UUID.randomUUID().toString().substring(0, 8));
    this.adminPassword = "it-" + UUID.randomUUID();
    int[] ports = FreePorts.loopback(3 * SIZE);
    var env = new LinkedHashMap<String, String>();
    env.put("LMS_DATA_DIR", dataDir.toString());
    for (int i = 0; i < SIZE; i++) {
      httpPorts[i] = ports[i];
      grpcPorts[i] = ports[SIZE + i];
      String prefix = "LMS_N" + (i + 1) + "_";
      env.put(prefix + "HTTP_PORT", String.valueOf(httpPorts[i]));
      env.put(prefix + "GRPC_PORT", String.valueOf(grpcPorts[i]));
      env.put(prefix + "RAFT_PORT", String.valueOf(ports[2 * SIZE + i]));
      if (network != null) {
        env.put(prefix + "HOST", network.host(i + 1));
        env.put(prefix + "NETNS", network.namespace(i + 1));
      }
    }
    env.put("LMS_ADMIN_PASSWORD", adminPassword);
    env.putAll(options.environment);
    this.environment = Map.copyOf(env);
    this.shutdownHook = new Thread(this::killAll, "cluster-processes-shutdown");
  }

  /**
   * Starts a new three-node cluster with {@code ./lms start} from the project directory (the
   * working directory of Maven's test JVMs) and waits until every node is ready.
   */
  public static ClusterProcesses start() {
    return start(Options.defaults());
  }

  /**
   * Like {@link #start()}, with every node in its namespace of {@code options}' network (if any)
   * and {@code options}' extra environment.
   */
  public static ClusterProcesses start(Options options) {
    var cluster = create(options);
    cluster.launch("start");
    return cluster;
  }

  /**
   * A cluster with its own (not yet existing) data directory and ports, not started: for commands
   * that build a cluster another way ({@link #launch}{@code ("restore", file)}) or that must refuse
   * to ({@link #run}). Close it like a started one.
   */
  public static ClusterProcesses create(Options options) {
    var cluster = new ClusterProcesses(Path.of("").toAbsolutePath(), options);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    return cluster;
  }

  /**
   * Runs the {@code ./lms} command that brings this cluster up ({@code start}, or {@code restore
   * FILE}) and waits until every node is ready; closes the cluster if that fails.
   */
  public void launch(String... command) {
    try {
      long started = System.nanoTime();
      lms(START_TIMEOUT, command);
      awaitReady(Duration.ofSeconds(60));
      System.out.printf(
          "cluster of %d Payara Micro nodes ready after %.1f s in %s%s%n",
          SIZE,
          (System.nanoTime() - started) / 1e9,
          dataDir,
          network == null ? "" : " on " + network);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  public static String nodeId(int node) {
    checkNode(node);
    return "n" + node;
  }

  /** The number of the node with id {@code nodeId} ({@code "n2"}: 2), the inverse of nodeId. */
  public static int nodeNumber(String nodeId) {
    return checkNode(Integer.parseInt(nodeId.substring(1)));
  }

  public int grpcPort(int node) {
    return grpcPorts[checkNode(node) - 1];
  }

  /**
   * The address the node's HTTP, gRPC and Raft servers listen on: its host in the {@link
   * NodeNetwork}, else 127.0.0.1.
   */
  public String host(int node) {
    checkNode(node);
    return network == null ? "127.0.0.1" : network.host(node);
  }

  /** The network the nodes run in, if {@link #start(Options)} was given one. */
  public Optional<NodeNetwork> network() {
    return Optional.ofNullable(network);
  }

  /** The node's current log (Payara's output, Ratis, the node's own lines). */
  public Path nodeLog(int node) {
    return dataDir.resolve(nodeId(node)).resolve("node.log");
  }

  /** The first admin's password this cluster was created with (username {@code admin}). */
  public String adminPassword() {
    return adminPassword;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * The numbers of the cluster's nodes now: {@code CLUSTER_NODES} in the data directory's {@code
   * cluster.env}, which {@code ./lms} writes when it creates the cluster and changes when it
   * replaces a node; 1 to 3 before that.
   */
  public List<Integer> members() {
    Path clusterEnv = dataDir.resolve("cluster.env");
    try {
      if (Files.exists(clusterEnv)) {
        for (String line : Files.readAllLines(clusterEnv)) {
          Matcher m = CLUSTER_NODES.matcher(line);
          if (m.matches()) {
            return Arrays.stream(m.group(1).trim().split("\\s+"))
                .map(ClusterProcesses::nodeNumber)
                .toList();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return IntStream.rangeClosed(1, SIZE).boxed().toList();
  }

  /**
   * Replaces the dead node {@code dead} by a new, empty node {@code replacement} on ports picked
   * now, through {@code ./lms replace-node}; returns once the new node is a member and has caught
   * up (what the launcher printed, for the test's record).
   *
   * @throws IllegalStateException if the launcher refused or failed, with its output
   */
  public String replaceNode(int dead, int replacement) {
    checkNode(dead);
    checkNode(replacement);
    if (network != null) {
      throw new UnsupportedOperationException("replacing a node in a NodeNetwork is not supported");
    }
    int[] ports = FreePorts.loopback(3);
    String prefix = "LMS_N" + replacement + "_";
    replacementEnvironment.put(prefix + "HTTP_PORT", String.valueOf(ports[0]));
    replacementEnvironment.put(prefix + "GRPC_PORT", String.valueOf(ports[1]));
    replacementEnvironment.put(prefix + "RAFT_PORT", String.valueOf(ports[2]));
    httpPorts[replacement - 1] = ports[0];
    grpcPorts[replacement - 1] = ports[1];
    return lms(REPLACE_TIMEOUT, "replace-node", nodeId(dead), nodeId(replacement));
  }

  /** Kills one node with SIGKILL and waits until it is gone. */
  public void kill9Node(int node) {
    ProcessHandle process =
        pid(node).stream()
            .boxed()
            .flatMap(pid -> ProcessHandle.of(pid).stream())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(nodeId(node) + " is not running"));
    process.destroyForcibly();
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(nodeId(node) + " did not die after SIGKILL", e);
    }
  }

  /**
   * Starts one node again with the cluster's settings ({@code ./lms start-node}); returns once it
   * serves (not necessarily caught up: see {@link #awaitReady}).
   */
  public void startNode(int node) {
    lms(SCRIPT_TIMEOUT, "start-node", nodeId(node));
  }

  /**
   * Starts several nodes at once, one {@code ./lms start-node} each; returns once all of them
   * serve.
   *
   * @throws IllegalStateException for the first node that did not start (the others' failures
   *     suppressed in it), after every start ended
   */
  public void startNodes(int... nodes) {
    if (Arrays.stream(nodes).distinct().count() != nodes.length) {
      throw new IllegalArgumentException("a node twice in " + Arrays.toString(nodes));
    }
    Arrays.stream(nodes).forEach(ClusterProcesses::checkNode);
    if (nodes.length == 0) {
      return;
    }
    // threads of its own: the common pool has one thread on a 2-core machine
    ExecutorService starters = Executors.newFixedThreadPool(nodes.length);
    try {
      var starts = new ArrayList<Future<?>>();
      for (int node : nodes) {
        starts.add(starters.submit(() -> startNode(node)));
      }
      RuntimeException failed = null;
      for (Future<?> start : starts) {
        try {
          start.get();
        } catch (ExecutionException e) {
          RuntimeException cause =
              e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
          if (failed == null) {
            failed = cause;
          } else {
            failed.addSuppressed(cause);
          }
        }
      }
      if (failed != null) {
        throw failed;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      starters.shutdownNow();
    }
  }

  /**
   * Freezes the node's JVM (SIGSTOP): it keeps its sockets but answers nothing, like a long GC
   * pause or a hung machine. {@link #resume} undoes it; {@link #close()} resumes every node first.
   */
  public void pause(int node) {
    signal(node, "STOP");
  }

  /** Lets a paused node's JVM run again (SIGCONT). */
  public void resume(int node) {
    signal(node, "CONT");
  }

  /** The pid of the node's JVM, if it runs. */
  public OptionalLong pid(int node) {
    Path pidFile = dataDir.resolve(nodeId(node)).resolve("node.pid");
    try {
      if (!Files.exists(pidFile)) {
        return OptionalLong.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() && isOurs(pid, node)
          ? OptionalLong.of(pid)
          : OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Every live process started for this cluster, found by the marker {@code ./lms} gives them. */
  public List<ProcessHandle> liveProcesses() {
    String marker = NODE_MARKER + dataDir + "/";
    return ProcessHandle.allProcesses().filter(p -> commandLine(p.pid()).contains(marker)).toList();
  }

  /** LMS nodes of other clusters (another engineer's tests) running on this machine right now. */
  public int otherLmsNodes() {
    String ours = NODE_MARKER + dataDir + "/";
    return (int)
        ProcessHandle.allProcesses()
            .map(p -> commandLine(p.pid()))
            .filter(line -> line.contains(NODE_MARKER) && !line.contains(ours))
            .count();
  }

  /** The node's {@code GET /api/status}. */
  public NodeStatus status(int node) {
    return NodeStatus.parse(get(node, "/api/status"));
  }

  /** The node's status, or empty when it does not answer. */
  public Optional<NodeStatus> tryStatus(int node) {
    try {
      return Optional.of(status(node));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The members of the Raft group as the node names them ({@code members} of its status). */
  public List<String> raftMembers(int node) {
    Matcher m = MEMBERS.matcher(get(node, "/api/status"));
    if (!m.find()) {
      throw new IllegalStateException(nodeId(node) + " names no members");
    }
    return Arrays.stream(m.group(1).split(","))
        .map(id -> id.strip().replace("\"", ""))
        .filter(id -> !id.isEmpty())
        .toList();
  }

  /** The node's state digest ({@code GET /api/status/digest}). */
  public String digest(int node) {
    Map<String, String> fields = parseJson(get(node, "/api/status/digest"));
    return Optional.ofNullable(fields.get("digest"))
        .orElseThrow(() -> new IllegalStateException("no digest from " + nodeId(node)));
  }

  /** The HTTP status of {@code path} on the node, or -1 when it does not answer. */
  public int httpStatus(int node, String path) {
    return answer(node, path).status();
  }

  /**
   * The node's answer to {@code GET path}, whatever its status; status -1 when it does not answer.
   */
  public HttpAnswer answer(int node, String path) {
    try {
      HttpResponse<String> response =
          http.send(request(node, path), HttpResponse.BodyHandlers.ofString());
      return new HttpAnswer(response.statusCode(), response.body());
    } catch (IOException e) {
      return new HttpAnswer(-1, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP status (-1: no answer) and the body that came with it. */
  public record HttpAnswer(int status, String body) {}

  /**
   * Waits until every running node answers and is ready, all of them name the same leader, which is
   * one of them (after a node was killed: a new leader among the survivors), and every one of them
   * has applied the leader's commit index as it was when that leader was first seen: a node that
   * just came back is then caught up, not only ready (ready allows a small lag).
   */
  public void awaitReady(Duration timeout) {
    long[] target = {-1};
    await(
        timeout,
        "every running node ready with one leader, and caught up with its commit index",
        () -> {
          Optional<List<NodeStatus>> statuses = runningNodesAnswering();
          Optional<NodeStatus> leader = statuses.flatMap(ClusterProcesses::agreedLeader);
          if (leader.isEmpty()) {
            return false;
          }
          if (target[0] < 0) {
            target[0] = leader.get().commitIndex();
          }
          return statuses.get().stream().allMatch(s -> s.appliedIndex() >= target[0]);
        });
  }

  /** The status of every node whose process runs, if every one of them answers. */
  private Optional<List<NodeStatus>> runningNodesAnswering() {
    var statuses = new ArrayList<NodeStatus>();
    for (int node = 1; node <= SIZE; node++) {
      if (pid(node).isPresent()) {
        Optional<NodeStatus> status = tryStatus(node);
        if (status.isEmpty()) {
          return Optional.empty();
        }
        statuses.add(status.get());
      }
    }
    return Optional.of(statuses);
  }

  /**
   * What {@link #awaitReady} waits for, checked once: the id of the leader every running node
   * names, if all of them answer and are ready and the leader is one of them.
   */
  public Optional<String> readyLeader() {
    return readyLeaderAmong(
        members().stream()
            .mapToInt(Integer::intValue)
            .filter(node -> pid(node).isPresent())
            .toArray());
  }

  /**
   * Like {@link #readyLeader()} over the given nodes only (e.g. the majority side of a partition):
   * the leader all of them name, if every one answers and is ready and the leader is one of them.
   */
  public Optional<String> readyLeaderAmong(int... nodes) {
    var running = new ArrayList<NodeStatus>();
    for (int node : nodes) {
      Optional<NodeStatus> status = tryStatus(checkNode(node));
      if (status.isEmpty()) {
        return Optional.empty();
      }
      running.add(status.get());
    }
    return agreedLeader(running).map(NodeStatus::nodeId);
  }

  /**
   * The status of the leader all of {@code statuses} name, if every one of them is ready and the
   * leader is among them: what {@link #readyLeaderAmong} asks of the answers it collects, for a
   * caller that has the statuses already.
   */
  public static Optional<NodeStatus> agreedLeader(List<NodeStatus> statuses) {
    if (statuses.isEmpty() || !statuses.stream().allMatch(NodeStatus::ready)) {
      return Optional.empty();
    }
    String leader = statuses.get(0).leaderId();
    if (leader == null || !statuses.stream().allMatch(s -> leader.equals(s.leaderId()))) {
      return Optional.empty();
    }
    return statuses.stream().filter(s -> s.nodeId().equals(leader) && s.isLeader()).findFirst();
  }

  /** Waits until every node answers and has applied {@code index}. */
  public void awaitApplied(long index, Duration timeout) {
    await(
        timeout,
        "every node applied " + index,
        () ->
            members().stream()
                .allMatch(n -> tryStatus(n).map(s -> s.appliedIndex() >= index).orElse(false)));
  }

  /**
   * Waits until every node runs, has applied the same index and shows the same state digest, with
   * nothing applied while the digests were read; returns that digest.
   */
  public String awaitConverged(Duration timeout) {
    String[] digest = new String[1];
    await(
        timeout,
        "the same applied index and digest on every node",
        () -> {
          OptionalLong applied = sameAppliedIndex();
          if (applied.isEmpty()) {
            return false;
          }
          List<Integer> members = members();
          String first = digest(members.get(0));
          for (int node : members.subList(1, members.size())) {
            if (!first.equals(digest(node))) {
              return false;
            }
          }
          if (!sameAppliedIndex().equals(applied)) {
            return false; // something was applied while the digests were read
          }
          digest[0] = first;
          return true;
        });
    return digest[0];
  }

  /** The applied index of every node, if all of them run, answer and agree on it. */
  private OptionalLong sameAppliedIndex() {
    List<NodeStatus> statuses = runningStatuses();
    if (statuses.size() != members().size()
        || statuses.stream().map(NodeStatus::appliedIndex).distinct().count() != 1) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(statuses.get(0).appliedIndex());
  }

  /** The node number of the leader every running node agrees on. */
  public int leader() {
    List<NodeStatus> running = runningStatuses();
    var leaders = running.stream().map(NodeStatus::leaderId).distinct().toList();
    if (leaders.size() != 1 || leaders.get(0) == null) {
      throw new IllegalStateException("the nodes do not agree on a leader: " + running);
    }
    return nodeNumber(leaders.get(0));
  }

  /** The statuses of the nodes that run and answer, in node order. */
  public List<NodeStatus> runningStatuses() {
    var statuses = new ArrayList<NodeStatus>();
    for (int node : members()) {
      if (pid(node).isPresent()) {
        tryStatus(node).ifPresent(statuses::add);
      }
    }
    return statuses;
  }

  /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Runs {@code ./lms restart}, the rolling restart (every node stopped and started again in turn,
   * followers first), and returns what it printed. Bounded by {@link #RESTART_TIMEOUT}.
   */
  public String rollingRestart() {
    return lms(RESTART_TIMEOUT, "restart");
  }

  /** Runs {@code ./lms stop}: every node of this cluster stops (paused ones are resumed first). */
  public void stopAll() {
    resumeAll();
    lms(SCRIPT_TIMEOUT, "stop");
  }

  /**
   * Resumes paused nodes, stops every node ({@code ./lms stop}, then SIGKILL for any survivor) and
   * removes the Payara working directories; the nodes' logs and data stay under {@link #dataDir()}
   * for a look after a failure. Safe to call twice. A {@link NodeNetwork} given in the {@link
   * Options} stays up: its owner closes it, after this.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      resumeAll();
      lms(SCRIPT_TIMEOUT, "stop");
    } catch (RuntimeException e) {
      System.out.println("./lms stop failed, killing the nodes: " + e.getMessage());
    } finally {
      killAll();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: nothing to remove
      }
      deletePayaraDirs();
    }
  }

  // ---------------------------------------------------------------- internals

  /** SIGCONT to every process of this cluster: a stopped JVM would not act on SIGTERM. */
  private void resumeAll() {
    for (ProcessHandle process : liveProcesses()) {
      try {
        kill("CONT", process.pid());
      } catch (RuntimeException e) {
        System.out.println("could not resume pid " + process.pid() + ": " + e.getMessage());
      }
    }
  }

  private void signal(int node, String signal) {
    long pid =
        pid(node).orElseThrow(() -> new IllegalStateException(nodeId(node) + " is not running"));
    kill(signal, pid);
  }

  /** Sends a signal Java cannot send ({@code ProcessHandle} only terminates). */
  private static void kill(String signal, long pid) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
              .redirectErrorStream(true)
              .start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void killAll() {
    for (ProcessHandle process : liveProcesses()) {
      process.destroyForcibly();
      try {
        process.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.out.println("pid " + process.pid() + " survived SIGKILL: " + e);
      }
    }
  }

  private void deletePayaraDirs() {
    // every node's directory, also of replaced nodes (n3.replaced-<time>)
    List<Path> nodeDirs;
    try (Stream<Path> dirs = Files.list(dataDir)) {
      nodeDirs = dirs.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      System.out.println("could not list " + dataDir + ": " + e);
      return;
    }
    for (Path nodeDir : nodeDirs) {
      try (Stream<Path> runDirs = Files.list(nodeDir)) {
        for (Path runDir :
            runDirs.filter(p -> p.getFileName().toString().startsWith("payara-")).toList()) {
          deleteTree(runDir);
        }
      } catch (IOException e) {
        System.out.println("could not clean " + nodeDir + ": " + e);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** What one {@code ./lms} command did: its exit code and its output (stdout and stderr). */
  public record LmsRun(int exitCode, String output) {}

  /**
   * Runs {@code ./lms args} with this cluster's environment (e.g. {@code backup FILE}) and returns
   * what it did, whatever its exit code; its output is also copied to this JVM's.
   */
  public LmsRun run(Duration timeout, String... args) {
    return lmsRun(timeout, args);
  }

  /**
   * Runs {@code ./lms args} with this cluster's environment; fails unless it exits with 0, else
   * returns its output.
   */
  private String lms(Duration timeout, String... args) {
    LmsRun run = lmsRun(timeout, args);
    if (run.exitCode() != 0) {
      throw new IllegalStateException(
          "./lms "
              + String.join(" ", args)
              + " failed (exit "
              + run.exitCode()
              + "):\n"
              + run.output());
    }
    return run.output();
  }

  /** The script and everything it started are killed after {@code timeout}. */
  private LmsRun lmsRun(Duration timeout, String... args) {
    var command = new ArrayList<String>();
    command.add(projectDir.resolve("lms").toString());
    command.addAll(List.of(args));
    try {
      Files.createDirectories(dataDir);
      Path output = Files.createTempFile(dataDir, "lms-" + args[0] + "-", ".log");
      var builder =
          new ProcessBuilder(command)
              .directory(projectDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Map<String, String> env = builder.environment();
      // nothing of the developer's own cluster settings may leak into the test cluster
      env.keySet().removeIf(key -> key.startsWith("LMS_") || key.equals("SERVER_NAME"));
      env.putAll(environment);
      env.putAll(replacementEnvironment);
      Process process = builder.start();
      boolean finished = false;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        if (!finished) { // out of time, or this thread was interrupted (a test's @Timeout)
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      System.out.print(
          printed.lines().map(line -> "  [lms] " + line + "\n").reduce("", String::concat));
      if (!finished) {
        throw new IllegalStateException(
            "./lms " + String.join(" ", args) + " took over " + timeout);
      }
      return new LmsRun(process.exitValue(), printed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String get(int node, String path) {
    try {
      HttpResponse<String> response =
          http.send(request(node, path), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            nodeId(node) + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(nodeId(node) + path + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The node's portal, e.g. {@code http://127.0.0.1:35317}; append a path that starts with /. */
  public String baseUrl(int node) {
    return "http://" + host(node) + ":" + httpPorts[checkNode(node) - 1];
  }

  private HttpRequest request(int node, String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl(node) + path))
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
  }

  private boolean isOurs(long pid, int node) {
    return commandLine(pid).contains(NODE_MARKER + dataDir.resolve(nodeId(node)) + "\0");
  }

  private static String commandLine(long pid) {
    try {
      return Files.readString(
          Path.of("/proc", String.valueOf(pid), "cmdline"), StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private static int checkNode(int node) {
    if (node < 1 || node > MAX_NODE) {
      throw new IllegalArgumentException("no node " + node + " (1.." + MAX_NODE + ")");
    }
    return node;
  }

  /**
   * Reads a flat JSON object of strings, numbers, booleans and nulls (what the status API sends).
   */
  static Map<String, String> parseJson(String json) {
    var fields = new HashMap<String, String>();
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      String value = m.group(2) != null ? m.group(2) : m.group(3);
      fields.put(m.group(1), "null".equals(m.group(3)) ? null : value);
    }
    return fields;
  }

  /**
   * How {@link #start(Options)} sets a cluster up: the network its nodes run in, and extra
   * environment for every node. Immutable; each method returns a changed copy.
   */
  public static final class Options {
    /** Keys {@code ClusterProcesses} or {@code ./lms} set themselves, per cluster or per node. */
    private static final Set<String> RESERVED =
        Set.of(
            "SERVER_NAME",
            "LMS_DATA_DIR",
            "FILE_STORAGE_DIR",
            "LMS_RAFT_PEERS",
            "LMS_GRPC_PEERS",
            "LMS_GRPC_PORT",
            "LMS_CLUSTER_SECRET",
            "LMS_ADMIN_PASSWORD");

    private static final Pattern PER_NODE = Pattern.compile("LMS_N\\d+_\\w+");

    private final NodeNetwork network;
    private final Map<String, String> environment;

    private Options(NodeNetwork network, Map<String, String> environment) {
      this.network = network;
      this.environment = Map.copyOf(environment);
    }

    /** No network (every node on 127.0.0.1), no extra environment: what {@link #start()} does. */
    public static Options defaults() {
      return new Options(null, Map.of());
    }

    /**
     * Every node runs inside its namespace of {@code network} and listens on its host there ({@code
     * LMS_<N>_NETNS}, {@code LMS_<N>_HOST}). The caller owns the network: it creates it before the
     * cluster and closes it after (in try-with-resources: declared first).
     */
    public Options network(NodeNetwork network) {
      if (network.size() < SIZE) {
        throw new IllegalArgumentException(
            "the network has " + network.size() + " nodes, the cluster " + SIZE);
      }
      return new Options(network, environment);
    }

    /**
     * One more environment variable of every node, read through MicroProfile Config (e.g. {@code
     * LMS_SNAPSHOT_THRESHOLD}, {@code LMS_ELECTION_TIMEOUT_MIN_MS}) or by {@code ./lms} ({@code
     * LMS_JAVA_OPTS}). Not one of the keys the harness or {@code ./lms} sets per cluster or node.
     */
    public Options env(String key, String value) {
      if (RESERVED.contains(key) || PER_NODE.matcher(key).matches()) {
        throw new IllegalArgumentException(key + " is set by ClusterProcesses or ./lms itself");
      }
      var env = new LinkedHashMap<>(environment);
      env.put(key, value);
      return new Options(network, env);
    }
  }

  /** One node's answer to {@code GET /api/status}. */
  public record NodeStatus(
      String nodeId,
      String role,
      long term,
      long commitIndex,
      long appliedIndex,
      String leaderId,
      boolean ready) {

    public boolean isLeader() {
      return "LEADER".equals(role);
    }

    /** Reads a node's answer to {@code GET /api/status}. */
    public static NodeStatus parse(String json) {
      Map<String, String> f = parseJson(json);
      if (!f.containsKey("nodeId")) {
        throw new IllegalStateException("not a node status: " + json);
      }
      return new NodeStatus(
          f.get("nodeId"),
          f.get("role"),
          Long.parseLong(f.get("term")),
          Long.parseLong(f.get("commitIndex")),
          Long.parseLong(f.get("appliedIndex")),
          f.get("leaderId"),
          Boolean.parseBoolean(f.get("ready")));
    }
  }
}
