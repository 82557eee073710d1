package org.lms.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lms.application.port.BlobStore;
import org.lms.domain.state.LmsStateMachine;
import org.lms.infrastructure.backup.NodeBackup;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.lms.infrastructure.raft.RatisNode;
import org.lms.testing.MemoryBlobStore;
import org.lms.testing.MongoFixture;

/** The endpoint's refusals: a clear 503 with the reason, never a stack trace or a 500. */
class BackupResourceTest {

  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  @TempDir java.nio.file.Path dir;

  @Test
  void aNodeWhoseRaftServerIsNotRunningAnswers503WithTheReason() throws Exception {
    MongoStateStore store = mongo.newStore();
    var config =
        new NodeConfig(
            "n2",
            dir,
            dir.resolve("files"),
            Map.of("n1", "127.0.0.1:1", "n2", "127.0.0.1:2", "n3", "127.0.0.1:3"),
            Map.of(),
            0,
            "test-cluster-secret",
            NodeConfig.DEFAULT_MAX_UPLOAD_BYTES,
            Optional.empty(),
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(2),
            1000,
            NodeConfig.DEFAULT_LOG_SEGMENT_BYTES);
    // built, never started: what a node looks like while Raft has not started yet
    try (var raft = new RatisNode(config, store, new LmsStateMachine(store))) {
      BlobStore blobs = new MemoryBlobStore();
      var backup =
          new NodeBackup(
              "n2", raft, new FileBlobStore(dir.resolve("files")), blobs, "t", Clock.systemUTC());

      var response = BackupResource.respond(() -> backup);

      assertThat(response.getStatus()).isEqualTo(503);
      assertThat(response.getMediaType().isCompatible(MediaType.TEXT_PLAIN_TYPE)).isTrue();
      assertThat(response.getEntity())
          .isEqualTo("no backup: the Raft server of n2 is not running\n");
    }
  }

  @Test
  void aNodeThatIsStartingOrStoppingAnswers503() {
    var response =
        BackupResource.respond(
            () -> {
              throw new IllegalStateException("node n2 is not running");
            });

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getEntity()).isEqualTo("no backup: node n2 is not running\n");
  }
}
