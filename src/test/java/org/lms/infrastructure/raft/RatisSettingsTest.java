package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.lms.infrastructure.config.NodeConfig;

/** The Raft server settings that correctness depends on, each with the failure it prevents. */
class RatisSettingsTest {

  private static final NodeConfig CONFIG =
      new NodeConfig(
          "n1",
          Path.of("/tmp/lms-n1"),
          Path.of("/tmp/lms-n1/files"),
          Map.of("n1", "127.0.0.1:9871", "n2", "127.0.0.1:9872", "n3", "127.0.0.1:9873"),
          Map.of(),
          9091,
          "0123456789abcdef",
          NodeConfig.DEFAULT_MAX_UPLOAD_BYTES,
          Optional.empty(),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          200,
          8192);

  private final RaftProperties properties =
      RatisSettings.defaults().serverProperties(CONFIG, "127.0.0.1", 9871);

  /**
   * The fault-injection suite found a follower that, after a snapshot installation raced with its
   * log appends, refused every later entry until restarted: Ratis 3.3 composes a follower's appends
   * into one future, and one failed append fails all that follow. See {@code RatisSettings}.
   */
  @Test
  void aFollowerAppendsEachRequestOnItsOwnSoOneFailedAppendDoesNotWedgeIt() {
    assertThat(RaftServerConfigKeys.Log.appendEntriesComposeEnabled(properties)).isFalse();
  }

  /**
   * The suite also found a follower that stopped applying for good after a second snapshot was
   * installed while the first was being loaded (Ratis 3.3 loses the second reload). Keeping two
   * snapshot intervals of log means a follower that just received a snapshot finds the entries
   * after it in the leader's log, unless more than a whole interval is written during one
   * installation.
   */
  @Test
  void purgingKeepsTwoSnapshotIntervalsOfLog() {
    assertThat(RaftServerConfigKeys.Log.purgePreservationLogNum(properties)).isEqualTo(400);
  }

  @Test
  void readsOnAFollowerGoThroughTheLeaderWithoutLeases() {
    assertThat(RaftServerConfigKeys.Read.option(properties))
        .isEqualTo(RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    assertThat(RaftServerConfigKeys.Read.leaderLeaseEnabled(properties)).isFalse();
  }

  @Test
  void snapshotsPurgeTheLogInSegmentsOfTheConfiguredSize() {
    assertThat(RaftServerConfigKeys.Snapshot.autoTriggerEnabled(properties)).isTrue();
    assertThat(RaftServerConfigKeys.Snapshot.autoTriggerThreshold(properties)).isEqualTo(200);
    assertThat(RaftServerConfigKeys.Log.purgeUptoSnapshotIndex(properties)).isTrue();
    assertThat(RaftServerConfigKeys.Log.segmentSizeMax(properties).getSize()).isEqualTo(8192);
  }
}
