package org.lms.infrastructure.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.application.port.CourseKnowledge.Passage;
import org.lms.domain.model.Material;
import org.lms.domain.state.StateStore;
import org.lms.testing.CourseMaterials;
import org.lms.testing.MemoryBlobStore;
import org.lms.testing.MongoFixture;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LuceneCourseKnowledgeTest {

  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private static final String VOLCANOES =
      """
      # Volcanoes

      ## Eruptions
      Magma rises through cracks in the crust and erupts as lava, ash and gas.
      """;

  private static final String RIVERS =
      """
      # Rivers

      ## Erosion
      A river wears away its banks and carries sand and pebbles towards the sea.
      """;

  private final StateStore store = mongo.newStore();
  private final MemoryBlobStore blobs = new MemoryBlobStore();
  private final CourseMaterials materials = new CourseMaterials(store, blobs);
  private final LuceneCourseKnowledge knowledge =
      new LuceneCourseKnowledge(new PdfAndTextReader(), store, blobs);

  @AfterEach
  void close() throws IOException {
    knowledge.close();
  }

  @Test
  void aSearchFindsPassagesOfThatCourseOnly() {
    knowledge.add(materials.publishMarkdown("m1", "geo", "Volcanoes", VOLCANOES));
    knowledge.add(materials.publishMarkdown("m2", "other", "Volcanoes too", VOLCANOES));

    List<Passage> found = knowledge.search("geo", "why do volcanoes erupt?", 5);

    assertThat(found)
        .containsExactly(
            new Passage(
                "m1",
                "Volcanoes",
                0,
                "Eruptions",
                "Magma rises through cracks in the crust and erupts as lava, ash and gas."));
    assertThat(knowledge.search("history", "why do volcanoes erupt?", 5)).isEmpty();
  }

  @Test
  void pdfPassagesCarryTheirPage() throws IOException {
    byte[] pdf =
        Files.readAllBytes(Path.of("src/test/resources/knowledge/corpus/newtons-laws.pdf"));
    knowledge.add(materials.publish("m1", "phys", "Newton", "laws.pdf", "application/pdf", pdf));

    Passage best = knowledge.search("phys", "rocket exhaust gases", 1).get(0);

    assertThat(best.page()).isEqualTo(3);
    assertThat(best.section()).isNull();
    assertThat(best.text()).contains("rocket");
  }

  @Test
  void removedMaterialIsNoLongerFound() {
    knowledge.add(materials.publishMarkdown("m1", "geo", "Volcanoes", VOLCANOES));
    knowledge.add(materials.publishMarkdown("m2", "geo", "Rivers", RIVERS));

    knowledge.remove("m1");
    knowledge.remove("never-indexed");

    assertThat(knowledge.search("geo", "lava", 5)).isEmpty();
    assertThat(knowledge.search("geo", "river erosion", 5))
        .extracting(Passage::materialId)
        .containsExactly("m2");
  }

  @Test
  void hitsOfMaterialGoneFromTheStoreAreLeftOutBeforeTheIndexHearsOfIt() {
    knowledge.add(materials.publishMarkdown("m1", "geo", "Volcanoes", VOLCANOES));
    knowledge.add(materials.publishMarkdown("m2", "geo", "Volcano eruptions", VOLCANOES));

    materials.delete("m1");

    assertThat(knowledge.search("geo", "lava eruption", 5))
        .extracting(Passage::materialId)
        .containsExactly("m2");
  }

  @Test
  void addingAgainReplacesInsteadOfDuplicating() {
    Material volcanoes = materials.publishMarkdown("m1", "geo", "Volcanoes", VOLCANOES);
    knowledge.add(volcanoes);
    knowledge.add(volcanoes);
    assertThat(knowledge.search("geo", "lava", 5)).hasSize(1);

    knowledge.add(materials.publishMarkdown("m1", "geo", "Rivers", RIVERS));

    assertThat(knowledge.search("geo", "lava", 5)).isEmpty();
    assertThat(knowledge.search("geo", "pebbles", 5))
        .extracting(Passage::materialTitle)
        .containsExactly("Rivers");
  }

  @Test
  void questionTextIsNeverQuerySyntax() {
    knowledge.add(materials.publishMarkdown("m1", "geo", "Volcanoes", VOLCANOES));

    for (String hostile :
        List.of(
            "title:\"x\" AND (",
            "*?~^",
            "lava~2 AND",
            "\\",
            "courseId:other OR lava",
            "[a TO z] {",
            "/regex.*/",
            "lava ".repeat(5000))) {
      assertThatCode(() -> knowledge.search("geo", hostile, 3)).doesNotThrowAnyException();
    }
    assertThat(knowledge.search("geo", "courseId:other OR lava", 3)).hasSize(1);
  }

  @Test
  void blankOrStopWordOnlyQuestionsAndNoLimitFindNothing() {
    knowledge.add(materials.publishMarkdown("m1", "geo", "Volcanoes", VOLCANOES));

    assertThat(knowledge.search("geo", "  ", 3)).isEmpty();
    assertThat(knowledge.search("geo", "is it in the?", 3)).isEmpty();
    assertThat(knowledge.search("geo", "why does it? how can I?", 3)).isEmpty();
    assertThat(knowledge.search("geo", null, 3)).isEmpty();
    assertThat(knowledge.search("geo", "lava", 0)).isEmpty();
  }

  @Test
  void rebuildIndexesTheStoreAndSkipsWhatItCannotRead() {
    materials.publishMarkdown("m1", "geo", "Volcanoes", VOLCANOES);
    materials.publish(
        "broken",
        "geo",
        "Broken lava notes",
        "lava.pdf",
        "application/pdf",
        "%PDF-1.7 lava lava".getBytes(StandardCharsets.US_ASCII));
    materials.put(
        new Material(
            "lost",
            "geo",
            "Lost lava",
            "lost.md",
            10,
            "text/markdown",
            "00".repeat(32),
            "i",
            Instant.EPOCH));
    materials.publish("slides", "geo", "Lava slides", "lava.pptx", "application/zip", new byte[9]);

    knowledge.rebuild();

    assertThat(knowledge.search("geo", "lava", 5))
        .extracting(Passage::materialId)
        .containsExactly("m1");
  }

  @Test
  void rebuildReplacesTheIndexContents() {
    knowledge.add(materials.publishMarkdown("m1", "geo", "Volcanoes", VOLCANOES));
    Material rivers = materials.publishMarkdown("m2", "geo", "Rivers", RIVERS);
    materials.delete("m1");
    materials.delete("m2");
    materials.put(rivers);

    knowledge.rebuild();
    materials.put(
        new Material(
            "m1",
            "geo",
            "Volcanoes",
            "m1.md",
            1,
            "text/markdown",
            "00".repeat(32),
            "i",
            Instant.EPOCH));

    assertThat(knowledge.search("geo", "lava", 5)).isEmpty();
    assertThat(knowledge.search("geo", "pebbles", 5)).hasSize(1);
  }

  @Test
  void searchesRunWhileMaterialIsAddedAndRemoved() throws Exception {
    knowledge.add(materials.publishMarkdown("base", "geo", "Volcanoes", VOLCANOES));
    List<Material> more = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      more.add(materials.publishMarkdown("m" + i, "geo", "Rivers " + i, RIVERS));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (Material m : more) {
        work.add(pool.submit(() -> knowledge.add(m)));
        work.add(pool.submit(() -> knowledge.search("geo", "lava and pebbles", 10)));
      }
      for (int i = 0; i < 20; i += 2) {
        String id = "m" + i;
        work.add(pool.submit(() -> knowledge.remove(id)));
        work.add(pool.submit(() -> knowledge.search("geo", "river", 10)));
      }
      for (Future<?> f : work) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(knowledge.search("geo", "lava", 5))
        .extracting(Passage::materialId)
        .containsExactly("base");
    assertThat(knowledge.search("geo", "pebbles", 50)).hasSize(10);
  }
}
