package org.lms.infrastructure.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.application.port.BlobStore;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.RemoveMaterial;
import org.lms.domain.model.Material;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.StateStore;
import org.lms.infrastructure.knowledge.LuceneCourseKnowledge;
import org.lms.infrastructure.knowledge.PdfAndTextReader;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.CourseMaterials;
import org.lms.testing.MemoryBlobStore;
import org.lms.testing.MongoFixture;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KnowledgeUpkeepTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  private static final String NOTES =
      "# Volcanoes\n\n## Eruptions\nMagma rises and erupts as lava.\n";

  private final StateStore store = mongo.newStore();
  private final MemoryBlobStore blobs = new MemoryBlobStore();
  private final FlakyBlobs flaky = new FlakyBlobs(blobs);
  private final CourseMaterials materials = new CourseMaterials(store, blobs);
  private final LuceneCourseKnowledge knowledge =
      new LuceneCourseKnowledge(new PdfAndTextReader(), store, flaky);
  private final KnowledgeUpkeep upkeep =
      new KnowledgeUpkeep(
          knowledge, store, "n1", List.of(Duration.ofMillis(400), Duration.ofMillis(400)));

  @AfterEach
  void close() throws Exception {
    upkeep.close();
  }

  @Test
  void aMaterialWhoseBytesCouldNotBeFetchedAtStartIsIndexedOnALaterTry() {
    materials.publishMarkdown("m1", "c1", "Volcanoes", NOTES);
    flaky.failNext(1);
    upkeep.rebuild();
    awaitFound("c1", "lava");
    assertThat(flaky.opens()).isEqualTo(2);
  }

  @Test
  void anAppliedMaterialIsIndexedAndRetriedButNotAfterItWasRemoved() {
    Material m = materials.publishMarkdown("m1", "c1", "Volcanoes", NOTES);
    flaky.failNext(1);
    upkeep.applied(add(m), CommandResult.accepted(1));
    awaitFound("c1", "lava");

    upkeep.applied(new RemoveMaterial("m1", "t", Instant.EPOCH), CommandResult.accepted(2));
    awaitGone("c1", "lava");

    // a material that is gone from the store by the time of its retry is not tried again
    Material other = materials.publishMarkdown("m2", "c1", "More volcanoes", NOTES);
    flaky.failNext(1);
    upkeep.applied(add(other), CommandResult.accepted(3));
    ClusterProcesses.await(TEN_SECONDS, "the first try, which fails", () -> flaky.opens() >= 3);
    materials.delete("m2"); // well before the retry, 400 ms after the first try
    sleep(1_000);
    assertThat(flaky.opens()).isEqualTo(3);
    assertThat(knowledge.search("c1", "lava", 5)).isEmpty();
  }

  @Test
  void afterTheLastTryItWaitsForTheNextRebuild() {
    materials.publishMarkdown("m1", "c1", "Volcanoes", NOTES);
    flaky.failNext(10);
    upkeep.rebuild();
    sleep(1_500);
    assertThat(flaky.opens()).isEqualTo(3); // the rebuild and two retries
    assertThat(knowledge.search("c1", "lava", 5)).isEmpty();
  }

  private static AddMaterial add(Material m) {
    return new AddMaterial(
        m.id(),
        m.courseId(),
        m.title(),
        m.fileName(),
        m.size(),
        m.mediaType(),
        m.sha256(),
        "t",
        Instant.EPOCH);
  }

  private void awaitFound(String courseId, String words) {
    ClusterProcesses.await(
        TEN_SECONDS, words + " found", () -> !knowledge.search(courseId, words, 5).isEmpty());
  }

  private void awaitGone(String courseId, String words) {
    ClusterProcesses.await(
        TEN_SECONDS, words + " gone", () -> knowledge.search(courseId, words, 5).isEmpty());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A blob store whose next few opens fail as if no node held the bytes. */
  private static final class FlakyBlobs implements BlobStore {
    private final BlobStore delegate;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();

    FlakyBlobs(BlobStore delegate) {
      this.delegate = delegate;
    }

    void failNext(int count) {
      failures.set(count);
    }

    int opens() {
      return opens.get();
    }

    @Override
    public StoredBlob put(InputStream in, long maxBytes) throws IOException {
      return delegate.put(in, maxBytes);
    }

    @Override
    public InputStream open(String sha256) throws IOException {
      opens.incrementAndGet();
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new BlobNotFoundException(sha256);
      }
      return delegate.open(sha256);
    }

    @Override
    public boolean hasLocally(String sha256) {
      return delegate.hasLocally(sha256);
    }
  }
}
