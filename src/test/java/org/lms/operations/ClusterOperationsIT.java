package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.HttpAnswer;
import org.lms.testing.NodeNetwork;
import org.lms.testing.chaos.Anomalies;
import org.lms.testing.chaos.Anomaly;
import org.lms.testing.chaos.History;
import org.lms.testing.chaos.LinearizabilityChecker;
import org.lms.testing.chaos.Operation;
import org.lms.testing.chaos.Workload;

/**
 * What an operator relies on (docs/operations.md), proven on three real Payara Micro nodes started
 * by {@code ./lms start}, each in a network namespace of its own: a node cut off from both peers
 * stops being ready (a follower, and a leader too) while the other two stay ready and take writes,
 * and is ready and caught up again once the links are back; and {@code ./lms restart} restarts
 * every node in turn while gRPC clients work, losing no acknowledged write and failing no request
 * that a client retries. One cluster start for all of it; every test leaves the cluster whole.
 */
@TestMethodOrder(OrderAnnotation.class)
class ClusterOperationsIT {

  /** C1 only: it halves a node's restart on two busy cores (as in ChaosIT). */
  private static final String JAVA_OPTS = "-XX:TieredStopAtLevel=1";

  /**
   * How long a cut-off node may keep saying it is ready: a follower notices within an election
   * timeout (2 s) that its leader is silent, a leader that no follower answered for as long.
   */
  private static final Duration NOT_READY_BOUND = Duration.ofSeconds(30);

  /** How long the cut lasts after the node said it is not ready: it must not say otherwise. */
  private static final Duration CUT_HOLD = Duration.ofSeconds(5);

  /** Healing the links, the node's catching up and the digests' agreeing. */
  private static final Duration HEAL_BOUND = Duration.ofSeconds(90);

  /** How long the clients work before and after {@code ./lms restart}. */
  private static final Duration QUIET = Duration.ofSeconds(3);

  /** How far before and after a leader change its write gap is looked for. */
  private static final Duration AROUND_LEADER_CHANGE = Duration.ofSeconds(5);

  private static final Pattern RESTARTING = Pattern.compile("restarting (n\\d) \\((\\w+)\\)");

  private static NodeNetwork network;
  private static ClusterProcesses cluster;
  private static ClusterChannels channels;
  private static String adminToken;

  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void startClusterInNamespaces() {
    network = NodeNetwork.create(ClusterProcesses.SIZE);
    var options =
        ClusterProcesses.Options.defaults().network(network).env("LMS_JAVA_OPTS", JAVA_OPTS);
    // to measure what the leader's hand-off is worth: -Dops.leaderHandOffMs=0 turns it off
    String handOff = System.getProperty("ops.leaderHandOffMs");
    if (handOff != null) {
      options = options.env("LMS_LEADER_HANDOFF_MS", handOff);
    }
    cluster = ClusterProcesses.start(options);
    channels = new ClusterChannels(cluster);
    adminToken = channels.login(1, "admin", cluster.adminPassword()).getToken();
  }

  @AfterAll
  static void stop() {
    if (channels != null) {
      channels.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aFollowerCutOffFromItsPeersIsNotReadyUntilItIsBackAndCaughtUp() {
    cluster.awaitReady(Duration.ofMinutes(1));
    int leader = cluster.leader();
    int follower = leader % ClusterProcesses.SIZE + 1;

    cutOffAndHeal(follower, "follower");
  }

  @Test
  @Order(2)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aLeaderCutOffFromItsPeersIsNotReadyUntilItIsBackAndCaughtUp() {
    cluster.awaitReady(Duration.ofMinutes(1));

    cutOffAndHeal(cluster.leader(), "leader");
  }

  /**
   * Cuts {@code node} from both peers (this JVM still reaches it), waits for its readiness to say
   * DOWN and checks it stays so while the other two are ready under a leader of their own and take
   * writes; then heals and waits until the node is ready again and holds the same state as the
   * others at the same applied index.
   */
  private void cutOffAndHeal(int node, String role) {
    String name = ClusterProcesses.nodeId(node);
    int[] majority = others(node);
    long cut = System.nanoTime();
    network.isolate(node);
    try {
      ClusterProcesses.await(
          NOT_READY_BOUND,
          "the cut-off " + role + " " + name + " answers /health/ready with 503 DOWN",
          () -> notReady(cluster.answer(node, "/health/ready")));
      double toDown = seconds(System.nanoTime() - cut);

      ClusterProcesses.await(
          Duration.ofSeconds(30),
          "the two others ready under a leader of theirs",
          () -> cluster.readyLeaderAmong(majority).isPresent());
      double toMajorityReady = seconds(System.nanoTime() - cut);
      long end = System.nanoTime() + CUT_HOLD.toNanos();
      int writes = 0;
      while (System.nanoTime() < end) {
        // the majority takes writes through either of its nodes, at the first attempt
        writeCourse(majority[writes % majority.length], "cut-" + name);
        writes++;
        assertThat(cluster.answer(node, "/health/ready"))
            .as("%s stays not ready while it is cut off", name)
            .matches(ClusterOperationsIT::notReady);
        for (int other : majority) {
          assertThat(cluster.answer(other, "/health/ready").status())
              .as("n%d stays ready while %s is cut off", other, name)
              .isEqualTo(200);
        }
      }
      System.out.printf(
          "cut-off %s %s: not ready after %.1f s; the other two ready under %s after %.1f s,"
              + " took %d writes while it was cut off%n",
          role,
          name,
          toDown,
          cluster.readyLeaderAmong(majority).orElse("?"),
          toMajorityReady,
          writes);
    } finally {
      network.healAll();
    }
    long healed = System.nanoTime();
    ClusterProcesses.await(
        HEAL_BOUND,
        name + " answers /health/ready with 200 UP again",
        () -> {
          HttpAnswer ready = cluster.answer(node, "/health/ready");
          return ready.status() == 200 && ready.body().contains("\"UP\"");
        });
    double toReady = seconds(System.nanoTime() - healed);
    cluster.awaitReady(HEAL_BOUND);
    String digest = cluster.awaitConverged(HEAL_BOUND);
    System.out.printf(
        "healed %s: ready after %.1f s, same digest %s at applied index %d on every node after"
            + " %.1f s%n",
        name,
        toReady,
        digest.substring(0, 12),
        cluster.status(node).appliedIndex(),
        seconds(System.nanoTime() - healed));
  }

  @Test
  @Order(3)
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void aRollingRestartUnderLoadLosesNoAcknowledgedWriteAndFailsNoRetriedRequest() {
    cluster.awaitReady(Duration.ofMinutes(1));
    int leaderBefore = cluster.leader();
    var history = new History();
    Workload.Settings settings =
        new Workload.Settings(
            6, // clients
            3, // of them pinned, one to each node
            6, // assignment titles
            3, // grade feedbacks
            // above a node's own bound on a proposal (12 s): a node answers before a client
            // gives up, unless it goes away mid-call
            Duration.ofSeconds(15),
            true,
            0.5,
            Duration.ofMillis(150),
            20261201L,
            new Workload.Retry(4, Duration.ofMillis(250)),
            0.3); // of the operations create an assignment
    List<InetSocketAddress> endpoints =
        IntStream.rangeClosed(1, ClusterProcesses.SIZE)
            .mapToObj(n -> InetSocketAddress.createUnresolved(cluster.host(n), cluster.grpcPort(n)))
            .toList();
    String printed;
    List<LeaderChange> leaderChanges;
    long restartStarted;
    long restartEnded;
    try (var workload = Workload.prepare(endpoints, cluster.adminPassword(), settings, history)) {
      workload.start();
      sleep(QUIET);
      restartStarted = System.nanoTime();
      try (var watcher = new LeaderWatcher()) {
        printed = cluster.rollingRestart();
        restartEnded = System.nanoTime();
        leaderChanges = watcher.changes();
      }
      sleep(QUIET);
      workload.stop();

      Workload.RetryStats stats = workload.retryStats();
      System.out.println("rolling restart, clients: " + stats.summary());
      System.out.println("rolling restart, attempts by outcome: " + workload.statusCounts());

      for (LeaderChange change : leaderChanges) {
        // the writes around the moment a new leader was first seen: the old one's stop
        System.out.printf(
            "rolling restart: leader %s -> %s seen at +%.1f s; longest gap between acknowledged"
                + " register writes within %d s around it: %d ms%n",
            change.from(),
            change.to(),
            seconds(change.seenNanos() - restartStarted),
            AROUND_LEADER_CHANGE.toSeconds(),
            longestWriteGap(
                    history,
                    change.seenNanos() - AROUND_LEADER_CHANGE.toNanos(),
                    change.seenNanos() + AROUND_LEADER_CHANGE.toNanos())
                .toMillis());
      }
      System.out.printf(
          "rolling restart: ./lms restart took %.1f s; longest gap between two acknowledged"
              + " register writes %d ms (%d acknowledged, %d operations in the history)%n",
          seconds(restartEnded - restartStarted),
          longestWriteGap(history, restartStarted, restartEnded).toMillis(),
          history.operations().stream()
              .filter(op -> op.isWrite() && op.status() == Operation.Status.OK)
              .count(),
          history.size());

      // every node restarted once, the followers first, the leader last
      List<String[]> order = restarts(printed);
      assertThat(order).extracting(r -> r[0]).containsExactlyInAnyOrder("n1", "n2", "n3");
      assertThat(order).extracting(r -> r[1]).containsExactly("follower", "follower", "leader");
      System.out.printf(
          "rolling restart: leader before n%d, order %s%n",
          leaderBefore, order.stream().map(r -> r[0] + " (" + r[1] + ")").toList());

      // the cluster is whole again, with one state
      cluster.awaitReady(Duration.ofMinutes(1));
      workload.finalReads(Duration.ofSeconds(60));
      String digest = cluster.awaitConverged(Duration.ofSeconds(60));
      System.out.println("rolling restart: one digest on every node afterwards: " + digest);

      // no logical request failed after its retries; refusals only of lost compare-and-sets
      assertThat(stats.failed()).as("requests that failed after every retry").isEmpty();
      assertThat(stats.refused().keySet()).isSubsetOf("FAILED_PRECONDITION");
      assertThat(stats.operations()).isPositive();

      // every acknowledged write is on every node
      assertThat(workload.acknowledgedCreations()).isNotEmpty();
      for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
        Workload.CreationAudit audit = workload.auditCreations(node, Duration.ofSeconds(30));
        System.out.println("rolling restart, creations on n" + node + ": " + audit);
        assertThat(audit.missing()).as("acknowledged creations n%d lacks", node).isEmpty();
        assertThat(audit.duplicated()).as("creations n%d holds twice", node).isEmpty();
      }
      // ...and the registers' history is linearizable (no acknowledged write lost, no stale read)
      List<Anomaly> anomalies = Anomalies.all(history);
      assertThat(anomalies).as("lost writes, phantom or stale reads").isEmpty();
      assertThat(Anomalies.keysWithoutFinalRead(history)).isEmpty();
      LinearizabilityChecker.Report report = new LinearizabilityChecker().check(history);
      assertThat(report.passed()).as(report.summary()).isTrue();
    }
  }

  /** A new leader first seen by {@link LeaderWatcher}, at {@code seenNanos}. */
  private record LeaderChange(String from, String to, long seenNanos) {}

  /**
   * Asks the nodes every 100 ms which of them leads, on a thread of its own, and notes every change
   * (a node that answers with role LEADER and a later term than the last leader seen).
   */
  private static final class LeaderWatcher implements AutoCloseable {
    private final List<LeaderChange> changes = new CopyOnWriteArrayList<>();
    private final Thread thread = new Thread(this::watch, "leader-watcher");
    private volatile boolean stop;

    LeaderWatcher() {
      thread.setDaemon(true);
      thread.start();
    }

    private void watch() {
      String leader = null;
      long term = -1;
      while (!stop) {
        for (int node = 1; node <= ClusterProcesses.SIZE && !stop; node++) {
          var status = cluster.tryStatus(node);
          if (status.isPresent() && status.get().isLeader() && status.get().term() > term) {
            if (leader != null && !leader.equals(status.get().nodeId())) {
              changes.add(new LeaderChange(leader, status.get().nodeId(), System.nanoTime()));
            }
            leader = status.get().nodeId();
            term = status.get().term();
          }
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    List<LeaderChange> changes() {
      return List.copyOf(changes);
    }

    @Override
    public void close() {
      stop = true;
      thread.interrupt();
      try {
        thread.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The nodes {@code ./lms restart} said it restarted, in order, each with the role it named. */
  private static List<String[]> restarts(String printed) {
    var order = new ArrayList<String[]>();
    Matcher m = RESTARTING.matcher(printed);
    while (m.find()) {
      order.add(new String[] {m.group(1), m.group(2)});
    }
    return order;
  }

  /**
   * The longest time between the acknowledgements of two register writes (or from {@code from} to
   * the first, or from the last to {@code to}) while the restart ran: how long the clients together
   * could not get a write through.
   */
  private static Duration longestWriteGap(History history, long from, long to) {
    List<Long> acks =
        history.operations().stream()
            .filter(op -> op.isWrite() && op.status() == Operation.Status.OK)
            .filter(op -> !op.client().equals(Workload.PREPARE_CLIENT))
            .map(Operation::returnNanos)
            .filter(t -> t >= from && t <= to)
            .sorted()
            .toList();
    long previous = from;
    long longest = 0;
    for (long t : acks) {
      longest = Math.max(longest, t - previous);
      previous = t;
    }
    return Duration.ofNanos(Math.max(longest, to - previous));
  }

  private static boolean notReady(HttpAnswer ready) {
    return ready.status() == 503 && ready.body().contains("\"DOWN\"");
  }

  /** Creates a course through {@code node}; fails the test if the node does not take it. */
  private static void writeCourse(int node, String prefix) {
    String code = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toUpperCase();
    try {
      ClusterChannels.as(adminToken, CourseServiceGrpc.newBlockingStub(channels.node(node)))
          .withDeadlineAfter(15, TimeUnit.SECONDS)
          .createCourse(CreateCourseRequest.newBuilder().setCode(code).setTitle(code).build());
    } catch (StatusRuntimeException e) {
      throw new AssertionError("n" + node + " did not take a write: " + e.getStatus(), e);
    }
  }

  private static int[] others(int node) {
    return IntStream.rangeClosed(1, ClusterProcesses.SIZE).filter(n -> n != node).toArray();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
