package org.lms.infrastructure.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelNamesTest {

  @Test
  void matchesTheSameNameAndTag() {
    assertThat(ModelNames.installed("gemma2:2b", List.of("llama3.2:1b", "gemma2:2b"))).isTrue();
  }

  @Test
  void anUntaggedNameMeansLatest() {
    assertThat(ModelNames.installed("gemma2", List.of("gemma2:latest"))).isTrue();
    assertThat(ModelNames.installed("gemma2:latest", List.of("gemma2"))).isTrue();
  }

  @Test
  void ignoresCaseTheDefaultRegistryAndALatestSuffix() {
    assertThat(ModelNames.installed("Gemma2:2B", List.of("gemma2:2b"))).isTrue();
    assertThat(ModelNames.installed("gemma2:2b", List.of("registry.ollama.ai/library/gemma2:2b")))
        .isTrue();
    assertThat(ModelNames.installed("gemma2:2b", List.of("gemma2:2b-latest"))).isTrue();
  }

  @Test
  void keepsSizesQuantisationsAndOtherRegistriesApart() {
    assertThat(ModelNames.installed("gemma2:2b", List.of("gemma2:27b", "gemma2:2b-instruct-q8_0")))
        .isFalse();
    assertThat(ModelNames.installed("gemma2:2b", List.of("gemma2:latest"))).isFalse();
    assertThat(ModelNames.installed("gemma2", List.of("gemma2:2b"))).isFalse();
    assertThat(ModelNames.installed("gemma2:2b", List.of("example.org:5000/gemma2:2b"))).isFalse();
    assertThat(ModelNames.installed("gemma2:2b", List.of())).isFalse();
  }

  @Test
  void aPortInTheRegistryIsNotATag() {
    assertThat(ModelNames.canonical("example.org:5000/team/model"))
        .isEqualTo("example.org:5000/team/model:latest");
  }
}
