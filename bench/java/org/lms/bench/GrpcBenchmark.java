package org.lms.bench;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.lms.interfaces.grpc.v1.Consistency;
import org.lms.interfaces.grpc.v1.GetGradeRequest;
import org.lms.interfaces.grpc.v1.GradeSubmissionRequest;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc.GradingServiceBlockingStub;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.NodeStatus;

/**
 * Drives the public gRPC API of three real Payara Micro nodes ({@code ./lms start} through {@link
 * ClusterProcesses}) with 1, 8, 32 and 128 concurrent clients, each a closed loop on its own thread
 * pinned to one node (client {@code i} to node {@code 1 + i % 3}; one channel per node, shared):
 *
 * <ul>
 *   <li>grade writes: {@code GradingService.GradeSubmission} of the client's own submission with
 *       the version it last saw (compare-and-set), as the course's instructor;
 *   <li>grade reads: {@code GradingService.GetGrade} of the client's own submission, default
 *       consistency (the node's own copy, no {@code min_index} wait), as the instructor;
 *   <li>leader kill: writing clients, the leader killed with SIGKILL a quarter into the run; a
 *       client moves to the next node on UNAVAILABLE or DEADLINE_EXCEEDED and re-reads its grade's
 *       version on FAILED_PRECONDITION (a write whose answer was lost may have been applied). The
 *       longest gap between two successful writes (of any client) is recorded; the node is started
 *       again afterwards (at once, if the survivors elect no leader within {@link
 *       #NO_LEADER_GIVE_UP}).
 * </ul>
 *
 * <p>Every level also records the CPU time the three nodes and this JVM spent, per call, and how
 * busy the machine was. Run with {@code bench/run grpc [seconds-per-level [failover-seconds
 * [failover-clients]]]}; writes {@code bench/results/grpc.json} and {@code bench/results/grpc.md}.
 * A benchmark, not a test: nothing here asserts a timing.
 */
public final class GrpcBenchmark {
  static final int[] CLIENTS = {1, 8, 32, 128};
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  /** How long the survivors may take to elect a leader before the killed node is started again. */
  static final Duration NO_LEADER_GIVE_UP = Duration.ofSeconds(15);

  /** The longest a leader-kill run goes on waiting for writes to resume. */
  private static final Duration FAILOVER_RUN_LIMIT = Duration.ofMinutes(3);

  /** One measured level of one kind of call. */
  record Level(
      String kind,
      int clients,
      long operations,
      Map<String, Long> failures,
      double perSecond,
      double p50,
      double p99,
      double max,
      CpuMeter.Usage cpu,
      long appliedIndex,
      String load,
      int otherNodes) {

    double nodesCpuMsPerCall() {
      return operations == 0 ? Double.NaN : cpu.nodesMs() / operations;
    }

    double clientCpuMsPerCall() {
      return operations == 0 ? Double.NaN : cpu.clientMs() / operations;
    }
  }

  /** What the leader kill did to the writers. */
  record Failover(
      int clients,
      double seconds,
      String killedNode,
      double killAtSeconds,
      String newLeader,
      long newLeaderAfterMs,
      boolean restartedForQuorum,
      long firstWriteAfterKillMs,
      long gapAcrossKillMs,
      long longestGapMs,
      double longestGapStartsMsAfterKill,
      long writesBeforeKill,
      long writesAfterKill,
      long clientMoves,
      Map<String, Long> failures,
      double restartServingSeconds,
      double restartCaughtUpSeconds,
      boolean digestsAgree) {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 20;
    Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
    long failoverSeconds = args.length > 2 ? Long.parseLong(args[2]) : seconds;
    int failoverClients = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    // the nodes' JIT keeps compiling for minutes on 2 shared cores: warm up as long as a level
    long warmSeconds = Math.max(2, seconds);
    String loadBefore = CpuMeter.loadAverage();
    var writes = new ArrayList<Level>();
    var reads = new ArrayList<Level>();
    Failover failover;
    double startSeconds;
    double setupSeconds;
    long started = System.nanoTime();
    try (ClusterProcesses cluster = ClusterProcesses.start();
        GrpcFixture api = new GrpcFixture(cluster)) {
      startSeconds = (System.nanoTime() - started) / 1e9;
      long setupStarted = System.nanoTime();
      int students = CLIENTS[CLIENTS.length - 1];
      api.create(cluster.adminPassword(), students);
      cluster.awaitApplied(api.lastIndex, Duration.ofSeconds(60)); // the set-up, everywhere
      setupSeconds = (System.nanoTime() - setupStarted) / 1e9;
      System.out.printf(
          "set-up: %d students with one submission each in %.1f s%n", students, setupSeconds);

      var bench = new Clients(cluster, api, new long[students]);
      // warm-up: JIT of the three nodes and of this JVM, connections, store caches
      System.out.println("warm-up " + bench.writes(8, warmSeconds));
      System.out.println("warm-up " + bench.reads(8, warmSeconds));
      for (int clients : CLIENTS) {
        writes.add(bench.writes(clients, seconds));
        System.out.println(writes.get(writes.size() - 1));
      }
      for (int clients : CLIENTS) {
        reads.add(bench.reads(clients, seconds));
        System.out.println(reads.get(reads.size() - 1));
      }
      failover = bench.failover(failoverClients, failoverSeconds);
      System.out.println(failover);
    }
    String loadAfter = CpuMeter.loadAverage();
    double totalSeconds = (System.nanoTime() - started) / 1e9;
    new GrpcReport(
            seconds,
            warmSeconds,
            startSeconds,
            setupSeconds,
            totalSeconds,
            loadBefore,
            loadAfter,
            writes,
            reads,
            failover)
        .write(out);
  }

  /** The closed-loop clients and what they measure. */
  private static final class Clients {
    private final ClusterProcesses cluster;
    private final GrpcFixture api;
    private final long[] versions;
    private final GradingServiceBlockingStub[] grading = new GradingServiceBlockingStub[3];

    Clients(ClusterProcesses cluster, GrpcFixture api, long[] versions) {
      this.cluster = cluster;
      this.api = api;
      this.versions = versions;
      for (int node = 1; node <= 3; node++) {
        grading[node - 1] =
            ClusterChannels.as(
                api.instructorToken, GradingServiceGrpc.newBlockingStub(api.channel(node)));
      }
    }

    private GradingServiceBlockingStub grading(int node) {
      return grading[node - 1].withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static int home(int client) {
      return 1 + client % 3;
    }

    /** One compare-and-set grade write of {@code client}'s submission through {@code node}. */
    private void write(int client, int node, long sequence) {
      try {
        var response =
            grading(node)
                .gradeSubmission(
                    GradeSubmissionRequest.newBuilder()
                        .setSubmissionId(api.submissions.get(client))
                        .setPoints(sequence % 101)
                        .setFeedback("feedback " + sequence)
                        .setExpectedVersion(versions[client])
                        .build());
        versions[client] = response.getGrade().getVersion();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
          // the version moved under us (a write whose answer was lost): read it and go on
          versions[client] = currentVersion(client, node);
        }
        throw e;
      }
    }

    private long currentVersion(int client, int node) {
      return grading(node)
          .getGrade(
              GetGradeRequest.newBuilder()
                  .setSubmissionId(api.submissions.get(client))
                  .setReadOptions(
                      ReadOptions.newBuilder().setConsistency(Consistency.CONSISTENCY_LINEARIZABLE))
                  .build())
          .getVersion();
    }

    private void read(int client, int node) {
      var grade =
          grading(node)
              .getGrade(
                  GetGradeRequest.newBuilder()
                      .setSubmissionId(api.submissions.get(client))
                      .build());
      if (!grade.getSubmissionId().equals(api.submissions.get(client))) {
        throw new IllegalStateException("GetGrade answered another submission's grade");
      }
    }

    Level writes(int clients, long seconds) throws InterruptedException {
      return closedLoop("write", clients, seconds, (client, i) -> write(client, home(client), i));
    }

    Level reads(int clients, long seconds) throws InterruptedException {
      return closedLoop("read", clients, seconds, (client, i) -> read(client, home(client)));
    }

    private Level closedLoop(String kind, int clients, long seconds, ClosedLoop.Call call)
        throws InterruptedException {
      var loop = new ClosedLoop("bench-" + kind, clients, call, GrpcBenchmark::statusCode);
      var cpu = new CpuMeter(cluster).start();
      ClosedLoop.Result result = loop.run(seconds);
      CpuMeter.Usage used = cpu.stop();
      return new Level(
          kind,
          clients,
          result.operations(),
          result.failures(),
          result.perSecond(),
          result.latencies().percentileMillis(50),
          result.latencies().percentileMillis(99),
          result.latencies().percentileMillis(100),
          used,
          cluster.tryStatus(1).map(NodeStatus::appliedIndex).orElse(-1L),
          CpuMeter.loadAverage(),
          cluster.otherLmsNodes());
    }

    /**
     * Writers that fail over; the leader is killed a quarter into the run and started again
     * afterwards. The run lasts {@code seconds}, or longer until writes have gone on for 5 s after
     * the kill. Every successful write's completion time is kept to find the longest gap.
     */
    Failover failover(int clients, long seconds) throws InterruptedException {
      var completions = new long[clients][];
      var counts = new int[clients];
      var moves = new long[clients];
      @SuppressWarnings("unchecked")
      var failures = (Map<String, Long>[]) new Map[clients];
      var start = new CountDownLatch(1);
      var stop = new AtomicBoolean();
      var killedAtRef = new AtomicLong();
      var firstAfterKill = new AtomicLong(Long.MAX_VALUE);
      var threads = new ArrayList<Thread>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        completions[c] = new long[1024];
        failures[c] = new TreeMap<>();
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  int node = home(client);
                  for (long i = 1; !stop.get(); i++) {
                    try {
                      write(client, node, i);
                      long at = System.nanoTime();
                      long killedAt = killedAtRef.get();
                      if (killedAt != 0 && at > killedAt) {
                        firstAfterKill.accumulateAndGet(at, Math::min);
                      }
                      if (counts[client] == completions[client].length) {
                        completions[client] =
                            Arrays.copyOf(completions[client], 2 * counts[client]);
                      }
                      completions[client][counts[client]++] = at;
                    } catch (StatusRuntimeException e) {
                      Status.Code code = e.getStatus().getCode();
                      failures[client].merge(code.name(), 1L, Long::sum);
                      if (code == Status.Code.UNAVAILABLE
                          || code == Status.Code.DEADLINE_EXCEEDED) {
                        node = 1 + node % 3;
                        moves[client]++;
                      }
                    }
                  }
                },
                "bench-failover-" + c);
        threads.add(t);
        t.start();
      }
      long t0 = System.nanoTime();
      start.countDown();

      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 4);
      int leader = cluster.leader();
      String killedNode = ClusterProcesses.nodeId(leader);
      int[] survivors = IntStream.rangeClosed(1, 3).filter(n -> n != leader).toArray();
      long killedAt = System.nanoTime();
      killedAtRef.set(killedAt);
      cluster.kill9Node(leader);
      System.out.printf("failover: %s (the leader) killed%n", killedNode);

      String newLeader = null;
      long giveUp = killedAt + NO_LEADER_GIVE_UP.toNanos();
      while (System.nanoTime() < giveUp) {
        // the survivors ready and agreed on a leader among them
        Optional<String> agreed = cluster.readyLeader();
        if (agreed.isPresent()) {
          newLeader = agreed.get();
          break;
        }
        Thread.sleep(50);
      }
      long newLeaderAt = System.nanoTime();
      boolean restartedForQuorum = newLeader == null;
      double servingSeconds = Double.NaN;
      long restarted = 0;
      if (restartedForQuorum) {
        // the survivors are stuck: the cluster only gets a leader again with the third node
        System.out.printf(
            "failover: no leader among the survivors within %d s; starting %s again%n",
            NO_LEADER_GIVE_UP.toSeconds(), killedNode);
        restarted = System.nanoTime();
        cluster.startNode(leader);
        cluster.awaitReady(Duration.ofSeconds(120));
        servingSeconds = (System.nanoTime() - restarted) / 1e9;
        newLeaderAt = System.nanoTime();
        newLeader = cluster.status(survivors[0]).leaderId();
      }
      System.out.printf(
          "failover: %s leads %d ms after the kill%n",
          newLeader, (newLeaderAt - killedAt) / 1_000_000);

      // go on until the planned end, and at least 5 s after writes resumed
      long plannedEnd = t0 + TimeUnit.SECONDS.toNanos(seconds);
      long limit = t0 + FAILOVER_RUN_LIMIT.toNanos();
      while (System.nanoTime() < limit) {
        long firstAfter = firstAfterKill.get();
        long now = System.nanoTime();
        if (now >= plannedEnd
            && firstAfter != Long.MAX_VALUE
            && now >= firstAfter + 5_000_000_000L) {
          break;
        }
        Thread.sleep(100);
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      double runSeconds = (System.nanoTime() - t0) / 1e9;

      if (!restartedForQuorum) {
        restarted = System.nanoTime();
        cluster.startNode(leader);
        cluster.awaitReady(Duration.ofSeconds(120));
        servingSeconds = (System.nanoTime() - restarted) / 1e9;
      }
      ClusterProcesses.await(
          Duration.ofSeconds(120),
          "every node at the same applied index",
          () -> {
            List<NodeStatus> s = cluster.runningStatuses();
            return s.size() == 3
                && s.stream().allMatch(x -> x.appliedIndex() == s.get(0).appliedIndex());
          });
      double caughtUpSeconds = (System.nanoTime() - restarted) / 1e9;
      String digest = cluster.digest(1);
      boolean digestsAgree = digest.equals(cluster.digest(2)) && digest.equals(cluster.digest(3));

      long[] all = new long[Arrays.stream(counts).sum()];
      int k = 0;
      for (int c = 0; c < clients; c++) {
        System.arraycopy(completions[c], 0, all, k, counts[c]);
        k += counts[c];
      }
      Arrays.sort(all);
      long longestGap = 0;
      long longestGapStart = t0;
      long lastBefore = t0;
      long firstAfter = -1;
      long before = 0;
      long previous = t0;
      for (long at : all) {
        if (at - previous > longestGap) {
          longestGap = at - previous;
          longestGapStart = previous;
        }
        if (at <= killedAt) {
          before++;
          lastBefore = at;
        } else if (firstAfter < 0) {
          firstAfter = at;
        }
        previous = at;
      }
      var failed = new TreeMap<String, Long>();
      for (var f : failures) {
        f.forEach((code, n) -> failed.merge(code, n, Long::sum));
      }
      return new Failover(
          clients,
          runSeconds,
          killedNode,
          (killedAt - t0) / 1e9,
          newLeader,
          (newLeaderAt - killedAt) / 1_000_000,
          restartedForQuorum,
          firstAfter < 0 ? -1 : (firstAfter - killedAt) / 1_000_000,
          firstAfter < 0 ? -1 : (firstAfter - lastBefore) / 1_000_000,
          longestGap / 1_000_000,
          (longestGapStart - killedAt) / 1e6,
          before,
          all.length - before,
          Arrays.stream(moves).sum(),
          failed,
          servingSeconds,
          caughtUpSeconds,
          digestsAgree);
    }
  }

  /** A failed call counts under its gRPC status code; anything else ends the client. */
  private static String statusCode(RuntimeException e) {
    if (e instanceof StatusRuntimeException s) {
      return s.getStatus().getCode().name();
    }
    throw e;
  }

  private GrpcBenchmark() {}
}
