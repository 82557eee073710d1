package org.lms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.lms.application.port.CourseKnowledge.Passage;

/**
 * The retrieval corpus in {@code src/test/resources/knowledge/corpus}: three PDFs and three
 * Markdown notes on school topics that share words, and twenty questions phrased as a student would
 * ask, each with the page or section that answers it ({@code questions.tsv}). Read by the quality
 * test and by the benchmarks, from the project directory.
 */
public final class KnowledgeCorpus {

  public static final Path DIR = Path.of("src/test/resources/knowledge/corpus");

  /**
   * One file of the corpus; its title is the file name without extension, dashes as spaces.
   *
   * @param mediaType {@code application/pdf} or {@code text/markdown}
   */
  public record Document(String fileName, String mediaType, String title, byte[] bytes) {
    public boolean isPdf() {
      return mediaType.equals("application/pdf");
    }
  }

  /** One line of questions.tsv: the question and where its answer is. */
  public record Question(String text, String file, int page, String section) {

    /** Whether {@code passage} is the answer, when the corpus file is the material {@code file}. */
    public boolean answeredBy(Passage passage) {
      return answeredBy(passage, file);
    }

    /**
     * Whether {@code passage} is the answer, when the corpus file is material {@code materialId}.
     */
    public boolean answeredBy(Passage passage, String materialId) {
      return passage.materialId().equals(materialId)
          && (section.isEmpty() ? passage.page() == page : section.equals(passage.section()));
    }

    /** Where the answer is, for a report: {@code file p.2} or {@code file #Heading}. */
    public String source() {
      return file + (section.isEmpty() ? " p." + page : " #" + section);
    }
  }

  private KnowledgeCorpus() {}

  /** Every PDF and Markdown file of the corpus, in file name order. */
  public static List<Document> documents() {
    List<Document> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        String mediaType =
            name.endsWith(".pdf")
                ? "application/pdf"
                : name.endsWith(".md") ? "text/markdown" : null;
        if (mediaType != null) {
          String title = name.substring(0, name.lastIndexOf('.')).replace('-', ' ');
          documents.add(new Document(name, mediaType, title, Files.readAllBytes(file)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the corpus in " + DIR.toAbsolutePath(), e);
    }
    return documents;
  }

  /** The twenty questions of {@code questions.tsv}, in file order. */
  public static List<Question> questions() {
    List<Question> questions = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(DIR.resolve("questions.tsv"), StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        questions.add(new Question(f[0], f[1], Integer.parseInt(f[2]), f[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the corpus questions", e);
    }
    return questions;
  }

  /** Publishes every document as a material of {@code courseId} with id {@code idPrefix + file}. */
  public static void publish(CourseMaterials materials, String courseId, String idPrefix) {
    for (Document d : documents()) {
      materials.publish(
          idPrefix + d.fileName(), courseId, d.title(), d.fileName(), d.mediaType(), d.bytes());
    }
  }
}
