package org.lms.infrastructure.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lms.infrastructure.knowledge.Passages.Chunk;

class PassagesTest {

  private static String paragraph(String word, int words) {
    return (word + " ").repeat(words).strip() + ".";
  }

  @Test
  void shortParagraphsAreJoinedAndLongOnesCutIntoPassagesOfBoundedSize() {
    String text =
        String.join(
            "\n\n",
            paragraph("a", 20),
            paragraph("b", 30),
            paragraph("c", 40),
            paragraph("d", 100),
            paragraph("e", 400));

    List<Chunk> chunks = Passages.split(text, false);

    assertThat(chunks).allSatisfy(c -> assertThat(c.section()).isNull());
    assertThat(chunks)
        .extracting(c -> Passages.words(c.text()))
        .allSatisfy(
            words -> assertThat(words).isBetween(1, Passages.MIN_WORDS + Passages.MAX_WORDS));
    assertThat(chunks.get(0).text()).startsWith("a a").contains("b b").contains("c c");
    assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList()).split("\\s+"))
        .hasSize(590);
  }

  @Test
  void markdownHeadingsStartPassagesAndNameTheirSection() {
    String text =
        """
        # Fractions

        ## Adding fractions ##
        Find a common denominator.

        ```
        # not a heading, a comment in code
        ```

        ## Dividing fractions
        Multiply by the reciprocal.
        """;

    List<Chunk> chunks = Passages.split(text, true);

    assertThat(chunks)
        .extracting(Chunk::section)
        .containsExactly("Adding fractions", "Dividing fractions");
    assertThat(chunks.get(0).text()).contains("common denominator").contains("# not a heading");
    assertThat(chunks.get(1).text()).isEqualTo("Multiply by the reciprocal.");
  }

  @Test
  void outsideMarkdownAHashIsText() {
    assertThat(Passages.split("# 1 item\n\nmore", false))
        .containsExactly(new Chunk(null, "# 1 item\n\nmore"));
  }

  @Test
  void blankTextHasNoPassages() {
    assertThat(Passages.split(" \n\n \n", true)).isEmpty();
  }
}
