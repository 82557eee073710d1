package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.application.port.ClusterMembership.ChangeRefused;
import org.lms.application.port.ClusterMembership.ChangeRefused.Reason;
import org.lms.application.port.ClusterMembership.Member;
import org.lms.application.port.CommandGateway;
import org.lms.domain.command.BootstrapAdmin;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.model.Role;
import org.lms.domain.state.LmsStateMachine;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.lms.testing.FreePorts;
import org.lms.testing.MongoFixture;
import org.lms.testing.RatisCluster;
import org.lms.testing.RatisCluster.Wipe;

/**
 * A dead member replaced by a new, empty node in one JVM: three Ratis peers, the third one killed,
 * a fourth started to join with no configuration of its own and added by {@code setConfiguration}
 * while writes go on; it catches up from a snapshot and the log, votes (the group commits with it
 * and one original member), and a survivor restarted with the old peer list follows the replicated
 * configuration. The process-level counterpart is {@code NodeReplacementIT}.
 */
@Timeout(150)
class RatisMembershipIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2025-09-01T08:00:00Z");
  private static final String ADMIN = "u-admin";

  @Test
  void aDeadMemberIsReplacedByAnEmptyNodeThatCatchesUpAndVotes() throws Exception {
    try (var cluster = RatisCluster.start(RatisCluster.SMALL_SNAPSHOT_THRESHOLD);
        var mongo = new MongoFixture()) {
      cluster.awaitLeader(WAIT);
      CommandGateway n1 = cluster.gateway(0);
      n1.submit(new BootstrapAdmin(ADMIN, "admin", "hash-admin", T0)).orThrow();
      // past a few snapshots: the new node is sent one before the log after it
      writeUsers(n1, "before-", 60);
      cluster.kill(2);
      cluster.awaitLeader(WAIT);
      RatisMembership membership = cluster.node(0).membership();
      int[] ports = FreePorts.loopback(2);
      String n4Raft = "127.0.0.1:" + ports[0];
      String n4Grpc = "127.0.0.1:" + ports[1];

      // refused, and nothing changes
      assertRefused(
          Reason.CONFLICT, () -> membership.replace("n2", "n4", n4Raft), "n2 still answers");
      assertRefused(
          Reason.UNKNOWN_MEMBER, () -> membership.replace("n7", "n4", n4Raft), "not a member");
      assertRefused(
          Reason.CONFLICT, () -> membership.replace("n3", "n1", n4Raft), "member already");
      assertRefused(
          Reason.BAD_REQUEST, () -> membership.replace("n3", "n4", "127.0.0.1"), "not host:port");
      assertRefused(
          Reason.UNAVAILABLE,
          () -> membership.replace("n3", "n4", n4Raft),
          "n4 does not answer at " + n4Raft);
      assertThat(ids(membership)).containsExactly("n1", "n2", "n3");

      // the new node: the survivors and itself as peers, joining, on empty storage
      Path n4Dir = Files.createTempDirectory("lms-ratis-n4-");
      String n4Database = mongo.newDatabaseName();
      MongoStateStore n4Store = mongo.openStore(n4Database);
      NodeConfig n4Config = n4Config(cluster.config(0), n4Dir, n4Raft, n4Grpc);
      RatisNode n4 = new RatisNode(n4Config, n4Store, new LmsStateMachine(n4Store));
      try {
        n4.start();
        assertThat(n4.status().local().ready()).as("waits to be added").isFalse();

        // writes go on while the leader catches n4 up and changes the configuration
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> writer =
            CompletableFuture.runAsync(
                () -> {
                  CommandGateway n2 = cluster.gateway(1);
                  while (writing.get()) {
                    n2.submit(user("during-" + written.incrementAndGet())).orThrow();
                  }
                });
        var replaced = membership.replace("n3", "n4", n4Raft);
        writing.set(false);
        writer.get();

        assertThat(replaced.alreadyDone()).isFalse();
        assertThat(replaced.members()).extracting(Member::id).containsExactly("n1", "n2", "n4");
        assertThat(written.get()).as("writes while the configuration changed").isPositive();
        assertThat(membership.replace("n3", "n4", n4Raft).alreadyDone()).isTrue();
        // n2 was not asked to make the change: applying it, it asks n4 for its gRPC address
        long learning = System.nanoTime() + WAIT.toNanos();
        while (cluster.status(1).learnedGrpcAddress("n4").isEmpty()) {
          assertThat(System.nanoTime()).as("n2 learns n4's gRPC address").isLessThan(learning);
          Thread.sleep(50);
        }
        assertThat(cluster.status(1).learnedGrpcAddress("n4")).contains(n4Grpc);

        long last = writeUsers(n1, "after-", 5);
        n4.gateway().awaitApplied(last, WAIT);
        cluster.awaitAllApplied(last, WAIT);
        assertThat(n4Store.digest()).isEqualTo(cluster.store(0).digest());
        assertThat(n4.status().members()).containsExactly("n1", "n2", "n4");
        assertThat(cluster.status(1).members()).containsExactly("n1", "n2", "n4");
        assertThat(cluster.status(0).group())
            .extracting(s -> s.nodeId() + " " + s.ready())
            .containsExactly("n1 true", "n2 true", "n4 true");
        // n1 was configured without n4: it learns n4's gRPC address from n4 itself
        assertThat(cluster.config(0).grpcPeers()).doesNotContainKey("n4");
        assertThat(cluster.node(0).directory().grpcAddress("n4")).contains(n4Grpc);
        assertThat(cluster.node(0).directory().memberIds()).containsExactly("n1", "n2", "n4");

        // n4 votes: with n1 gone, n2 and n4 are a majority
        cluster.kill(0);
        long withoutN1 = cluster.gateway(1).submit(user("without-n1")).orThrow();
        n4.gateway().awaitApplied(withoutN1, WAIT);

        // n1 comes back with its old peer list (n1, n2, n3): the replicated configuration wins
        cluster.restart(0, Wipe.NOTHING);
        assertThat(cluster.config(0).raftPeers()).containsKey("n3").doesNotContainKey("n4");
        assertThat(ids(cluster.node(0).membership())).containsExactly("n1", "n2", "n4");
        long end = cluster.gateway(0).submit(user("n1-is-back")).orThrow();
        n4.gateway().awaitApplied(end, WAIT);
        cluster.gateway(1).awaitApplied(end, WAIT);
        assertThat(n4Store.digest())
            .isEqualTo(cluster.store(0).digest())
            .isEqualTo(cluster.store(1).digest());

        // n4 restarted, still told to join: its storage holds the configuration, so it rejoins
        n4.close();
        n4Store = mongo.openStore(n4Database);
        n4 = new RatisNode(n4Config, n4Store, new LmsStateMachine(n4Store));
        n4.start();
        long again = cluster.gateway(1).submit(user("n4-is-back")).orThrow();
        n4.gateway().awaitApplied(again, WAIT);
        assertThat(n4.status().members()).containsExactly("n1", "n2", "n4");
      } finally {
        n4.close();
        deleteRecursively(n4Dir);
      }
    }
  }

  private static NodeConfig n4Config(NodeConfig n1, Path dir, String raft, String grpc) {
    Map<String, String> raftPeers = new LinkedHashMap<>();
    n1.raftPeers().forEach((id, address) -> raftPeers.put(id, address));
    raftPeers.remove("n3");
    raftPeers.put("n4", raft);
    return new NodeConfig(
            "n4",
            dir,
            dir.resolve("files"),
            raftPeers,
            Map.of("n4", grpc),
            0,
            "test-cluster-secret",
            NodeConfig.DEFAULT_MAX_UPLOAD_BYTES,
            Optional.empty(),
            n1.electionTimeoutMin(),
            n1.electionTimeoutMax(),
            n1.snapshotThreshold(),
            n1.logSegmentBytes())
        .withRaftJoin(true);
  }

  private static java.util.List<String> ids(RatisMembership membership) {
    return membership.members().stream().map(Member::id).toList();
  }

  private static void assertRefused(Reason reason, Runnable attempt, String message) {
    assertThatThrownBy(attempt::run)
        .isInstanceOfSatisfying(
            ChangeRefused.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  private static RegisterUser user(String tag) {
    return new RegisterUser(
        "u-" + tag, "user-" + tag, "User " + tag, Role.STUDENT, "hash-" + tag, ADMIN, T0);
  }

  private static long writeUsers(CommandGateway gateway, String prefix, int count) {
    long last = 0;
    for (int i = 0; i < count; i++) {
      last = gateway.submit(user(prefix + i)).orThrow();
    }
    return last;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
