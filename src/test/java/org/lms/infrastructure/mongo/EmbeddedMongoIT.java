package org.lms.infrastructure.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lms.domain.model.Course;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.Change;
import org.lms.domain.state.Criterion;
import org.lms.infrastructure.config.NodeConfig;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedMongoIT {

  private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

  private static NodeConfig config(Path dataDir, Optional<String> mongoUri) {
    return new NodeConfig(
        "n1",
        dataDir,
        dataDir.resolve("files"),
        Map.of("n1", "127.0.0.1:1"),
        Map.of(),
        0,
        "secret",
        NodeConfig.DEFAULT_MAX_UPLOAD_BYTES,
        mongoUri,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        1000,
        NodeConfig.DEFAULT_LOG_SEGMENT_BYTES);
  }

  /**
   * A kill -9 leaves the store file as the process last wrote it. A copy taken while the store is
   * open and busy stands for that file: it must hold every command applied so far, each whole.
   */
  @Test
  void h2FileHoldsEveryAppliedCommandWithoutAClose(@TempDir Path dataDir, @TempDir Path copyDir)
      throws Exception {
    NodeConfig config = config(dataDir, Optional.empty());
    String digest;
    try (var connection = MongoConnection.open(config)) {
      var store =
          new MongoStateStore(
              connection.client(), config.databaseName(), connection.durabilityPoint());
      for (int i = 1; i <= 50; i++) {
        store.commit(
            i,
            List.of(
                new Change.Put(
                    new User("u" + i, "user" + i, "User", Role.STUDENT, "pbkdf2$x", false, T0)),
                new Change.Put(
                    new Course(
                        "c" + i, "C" + i, "Course", List.of(), List.of("u" + i), T0, false))));
      }
      digest = store.digest();
      Files.createDirectories(copyDir.resolve("mongo"));
      Files.copy(
          config.embeddedMongoDir().resolve("lms.mv"), copyDir.resolve("mongo").resolve("lms.mv"));
    }
    try (var crashed = MongoConnection.open(config(copyDir, Optional.empty()))) {
      var store = new MongoStateStore(crashed.client(), config.databaseName());
      assertThat(store.appliedIndex()).isEqualTo(50);
      assertThat(store.digest()).isEqualTo(digest);
    }
  }

  @Test
  void h2FileBackendKeepsTheStateAcrossCloseAndReopen(@TempDir Path dataDir) {
    NodeConfig config = config(dataDir, Optional.empty());
    String digest;
    try (var connection = MongoConnection.open(config)) {
      assertThat(connection.isEmbedded()).isTrue();
      var store = new MongoStateStore(connection.client(), config.databaseName());
      store.commit(
          1,
          List.of(
              new Change.Put(new User("u1", "ada", "Ada", Role.INSTRUCTOR, "pbkdf2$x", false, T0)),
              new Change.Put(
                  new Course("c1", "CS101", "Programming", List.of("u1"), List.of(), T0, false))));
      store.commit(2, List.of(new Change.Delete(User.class, "nobody")));
      digest = store.digest();
    }
    assertThat(config.embeddedMongoDir().resolve("lms.mv")).isRegularFile();

    try (var connection = MongoConnection.open(config)) {
      var store = new MongoStateStore(connection.client(), config.databaseName());
      assertThat(store.appliedIndex()).isEqualTo(2);
      assertThat(store.get(User.class, "u1")).map(User::username).contains("ada");
      assertThat(store.find(Course.class, Criterion.eq("instructorIds", "u1")))
          .extracting(Course::code)
          .containsExactly("CS101");
      assertThat(store.digest()).isEqualTo(digest);
    }
  }

  @Test
  void aConfiguredUriIsUsedInsteadOfTheEmbeddedServer(@TempDir Path dataDir) {
    try (var external = MongoConnection.inMemory()) {
      // the driver learns the server's address once it has talked to it
      external.client().getDatabase("admin").runCommand(new Document("ping", 1));
      String hostPort =
          external
              .client()
              .getClusterDescription()
              .getServerDescriptions()
              .get(0)
              .getAddress()
              .toString();

      NodeConfig config = config(dataDir, Optional.of("mongodb://" + hostPort));
      try (var connection = MongoConnection.open(config)) {
        assertThat(connection.isEmbedded()).isFalse();
        new MongoStateStore(connection.client(), config.databaseName()).commit(3, List.of());
      }
      assertThat(Files.exists(config.embeddedMongoDir())).isFalse();
      assertThat(new MongoStateStore(external.client(), config.databaseName()).appliedIndex())
          .isEqualTo(3);
    }
  }
}
