package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.util.LifeCycle;
import org.junit.jupiter.api.Test;
import org.lms.application.port.ClusterStatus;

/**
 * The status of a division read through Ratis's public interfaces, here answered by small proxies
 * that stand for a division in a given state.
 */
class RatisClusterStatusTest {

  private static final RaftGroupId GROUP = RaftGroupId.randomId();

  @Test
  void aRunningFollowerReportsRoleTermIndexesAndLeader() {
    var status = statusOf(info(Map.of()), 42);

    var local = status.local();

    assertThat(local.role()).isEqualTo("FOLLOWER");
    assertThat(local.term()).isEqualTo(3);
    assertThat(local.commitIndex()).isEqualTo(42);
    assertThat(local.appliedIndex()).isEqualTo(40);
    assertThat(local.leaderId()).contains("n1");
    assertThat(local.ready()).isTrue();
  }

  /**
   * A division the watchdog restarts is registered before Ratis has created its state machine
   * updater; asking it for the applied index then throws. The CI run of 2026-11-28 met this window
   * through the status call.
   */
  @Test
  void aDivisionWhoseStateMachineUpdaterIsNotCreatedYetIsDown() {
    DivisionInfo starting =
        info(
            Map.of(
                "getLastAppliedIndex",
                args -> {
                  throw new IllegalStateException(
                      "n3@group: stateMachineUpdater is uninitialized.");
                }));

    var local = statusOf(starting, 42).local();

    assertThat(local.role()).isEqualTo(ClusterStatus.DOWN);
    assertThat(local.ready()).isFalse();
  }

  @Test
  void aDivisionWithoutALogYetIsDown() {
    var status = statusOf(info(Map.of()), -1);

    assertThat(status.local().role()).isEqualTo(ClusterStatus.DOWN);
  }

  /** A status over one division; {@code commit} -1: its log is not open yet. */
  private static RatisClusterStatus statusOf(DivisionInfo info, long commit) {
    RaftLog log =
        proxy(
            RaftLog.class,
            Map.of(
                "getLastCommittedIndex",
                args -> {
                  if (commit < 0) {
                    throw new IllegalStateException("log is uninitialized");
                  }
                  return commit;
                }));
    RaftServer.Division division =
        proxy(
            RaftServer.Division.class, Map.of("getInfo", args -> info, "getRaftLog", args -> log));
    RaftServer server =
        proxy(
            RaftServer.class,
            Map.of(
                "getLifeCycleState", args -> LifeCycle.State.RUNNING,
                "getDivision", args -> division));
    return new RatisClusterStatus("n2", GROUP, () -> server, new AppliedIndexWaiter());
  }

  private static DivisionInfo info(Map<String, Function<Object[], Object>> overrides) {
    var answers =
        new java.util.HashMap<String, Function<Object[], Object>>(
            Map.of(
                "isAlive", args -> true,
                "getLastAppliedIndex", args -> 40L,
                "getLeaderId", args -> RaftPeerId.valueOf("n1"),
                "getCurrentRole", args -> RaftPeerRole.FOLLOWER,
                "getCurrentTerm", args -> 3L));
    answers.putAll(overrides);
    return proxy(DivisionInfo.class, answers);
  }

  private static <T> T proxy(Class<T> type, Map<String, Function<Object[], Object>> answers) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              var answer = answers.get(method.getName());
              if (answer == null) {
                throw new UnsupportedOperationException(method.getName());
              }
              return answer.apply(args);
            }));
  }
}
