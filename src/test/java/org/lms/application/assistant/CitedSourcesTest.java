package org.lms.application.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lms.application.port.CourseKnowledge.Passage;
import org.lms.domain.command.AnswerQuestion.Source;

class CitedSourcesTest {
  private static final List<Passage> PASSAGES =
      List.of(
          new Passage("m1", "Paper", 3, null, "a"),
          new Passage("m2", "Notes", 0, "Terms", "b"),
          new Passage("m3", "Slides", 7, null, "c"));

  @Test
  void keepsThePassagesTheReplyCitesWithTheirNumbers() {
    assertThat(AiAssistant.cited("Terms number elections [2]; see also [3, 2].", PASSAGES))
        .containsExactly(
            new Source(2, "m2", "Notes", 0, "Terms"), new Source(3, "m3", "Slides", 7, null));
  }

  @Test
  void numbersOutsideThePromptAreIgnored() {
    assertThat(AiAssistant.cited("As [9] and [0] say, [1].", PASSAGES))
        .containsExactly(new Source(1, "m1", "Paper", 3, null));
  }

  @Test
  void aReplyThatCitesNothingKeepsEveryPassageItWasGiven() {
    assertThat(AiAssistant.cited("No brackets here.", PASSAGES)).hasSize(3);
    assertThat(AiAssistant.cited("No brackets here.", List.of())).isEmpty();
  }
}
