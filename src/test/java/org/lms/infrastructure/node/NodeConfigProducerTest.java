package org.lms.infrastructure.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.node.NodeConfigProducer.InvalidNodeConfigException;

class NodeConfigProducerTest {

  private final Map<String, String> values = new HashMap<>(validThreeNodeSettings());

  private static Map<String, String> validThreeNodeSettings() {
    return Map.ofEntries(
        Map.entry("SERVER_NAME", "n2"),
        Map.entry("LMS_DATA_DIR", "/var/lms/n2"),
        Map.entry("FILE_STORAGE_DIR", "/var/lms/n2/files"),
        Map.entry("LMS_RAFT_PEERS", "n1=127.0.0.1:9871, n2=127.0.0.1:9872,n3=127.0.0.1:9873"),
        Map.entry("LMS_GRPC_PEERS", "n1=127.0.0.1:9091,n2=127.0.0.1:9092,n3=127.0.0.1:9093"),
        Map.entry("LMS_GRPC_PORT", "9092"),
        Map.entry("LMS_CLUSTER_SECRET", "0123456789abcdef0123"),
        Map.entry("LMS_MAX_UPLOAD_BYTES", "26214400"),
        Map.entry("LMS_ELECTION_TIMEOUT_MIN_MS", "1000"),
        Map.entry("LMS_ELECTION_TIMEOUT_MAX_MS", "2000"),
        Map.entry("LMS_SNAPSHOT_THRESHOLD", "10000"),
        Map.entry("LMS_LOG_SEGMENT_BYTES", "8388608"));
  }

  private NodeConfig read() {
    return NodeConfigProducer.read(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void readsEveryKey() {
    values.put("MONGO_URI", "mongodb://db.example:27017");

    NodeConfig config = read();

    assertThat(config.nodeId()).isEqualTo("n2");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lms/n2"));
    assertThat(config.fileStorageDir()).isEqualTo(Path.of("/var/lms/n2/files"));
    assertThat(config.raftPeers())
        .containsEntry("n1", "127.0.0.1:9871")
        .containsEntry("n2", "127.0.0.1:9872")
        .hasSize(3);
    assertThat(config.grpcPeers()).containsEntry("n3", "127.0.0.1:9093").hasSize(3);
    assertThat(config.grpcPort()).isEqualTo(9092);
    assertThat(config.clusterSecret()).isEqualTo("0123456789abcdef0123");
    assertThat(config.maxUploadBytes()).isEqualTo(26_214_400L);
    assertThat(config.mongoUri()).contains("mongodb://db.example:27017");
    assertThat(config.electionTimeoutMin()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.electionTimeoutMax()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.snapshotThreshold()).isEqualTo(10_000L);
    assertThat(config.logSegmentBytes()).isEqualTo(8_388_608L);
  }

  @Test
  void aNodeJoinsByAMembershipChangeOnlyWhenToldSo() {
    assertThat(read().raftJoin()).as("LMS_RAFT_JOIN unset").isFalse();

    values.put("LMS_RAFT_JOIN", "TRUE");
    assertThat(read().raftJoin()).isTrue();

    values.put("LMS_RAFT_JOIN", "false");
    assertThat(read().raftJoin()).isFalse();

    values.put("LMS_RAFT_JOIN", "yes");
    assertThatThrownBy(this::read)
        .hasMessageContaining("LMS_RAFT_JOIN is 'yes', expected true or false");
  }

  @Test
  void anEmptyMongoUriMeansTheEmbeddedServer() {
    values.put("MONGO_URI", "  ");

    assertThat(read().mongoUri()).isEmpty();
  }

  @Test
  void aRelativeDataDirIsResolvedAgainstTheWorkingDirectory() {
    values.put("LMS_DATA_DIR", "lms-data");

    assertThat(read().dataDir()).isEqualTo(Path.of("lms-data").toAbsolutePath());
  }

  @Test
  void namesEveryProblemAtOnce() {
    values.remove("LMS_CLUSTER_SECRET");
    values.put("LMS_GRPC_PORT", "70000");
    values.put("LMS_ELECTION_TIMEOUT_MIN_MS", "3000");
    values.put("LMS_MAX_UPLOAD_BYTES", "lots");
    values.put("LMS_LOG_SEGMENT_BYTES", "512");

    assertThatThrownBy(this::read)
        .isInstanceOf(InvalidNodeConfigException.class)
        .hasMessageContaining("LMS_CLUSTER_SECRET is not set")
        .hasMessageContaining("LMS_GRPC_PORT is 70000")
        .hasMessageContaining("LMS_ELECTION_TIMEOUT_MIN_MS (3000) must be below")
        .hasMessageContaining("LMS_MAX_UPLOAD_BYTES is 'lots'")
        .hasMessageContaining("LMS_LOG_SEGMENT_BYTES is 512");
  }

  @Test
  void refusesANodeThatIsNotAmongItsPeers() {
    values.put("SERVER_NAME", "n4");

    assertThatThrownBy(this::read)
        .hasMessageContaining("LMS_RAFT_PEERS does not name this node 'n4'")
        .hasMessageContaining("LMS_GRPC_PEERS does not name this node 'n4'");
  }

  @Test
  void refusesPeerListsThatDisagree() {
    values.put("LMS_GRPC_PEERS", "n1=127.0.0.1:9091,n2=127.0.0.1:9092");

    assertThatThrownBy(this::read).hasMessageContaining("name different nodes");
  }

  @Test
  void refusesMalformedPeersAndAShortSecret() {
    values.put("LMS_RAFT_PEERS", "n1=127.0.0.1:9871,n2=127.0.0.1:port,n3=127.0.0.1:9873");
    values.put("LMS_CLUSTER_SECRET", "short");

    assertThatThrownBy(this::read)
        .hasMessageContaining("peer n2 has no valid port")
        .hasMessageContaining("LMS_CLUSTER_SECRET is shorter than 16 characters");
  }

  @Test
  void refusesAMongoUriOfAnotherScheme() {
    values.put("MONGO_URI", "http://db.example");

    assertThatThrownBy(this::read).hasMessageContaining("MONGO_URI must start with mongodb://");
  }

  @Test
  void bindsGrpcToTheHostOfItsOwnAddress() {
    assertThat(NodeConfig.hostOf("127.0.0.1:9091")).isEqualTo("127.0.0.1");
    assertThat(NodeConfig.hostOf("n1:9090")).isEqualTo("n1");
    assertThat(NodeConfig.hostOf("[::1]:9090")).isEqualTo("::1");
  }
}
