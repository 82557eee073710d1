package org.lms.infrastructure.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OllamaSettingsTest {

  private static OllamaSettings read(Map<String, String> values) {
    return OllamaSettings.read(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void hasDefaultsForEveryKey() {
    var settings = read(Map.of());

    assertThat(settings.url()).isEqualTo(URI.create("http://localhost:11434"));
    assertThat(settings.model()).isEqualTo("gemma2:2b");
    assertThat(settings.replyTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.numCtx()).isEqualTo(4096);
  }

  @Test
  void readsEveryKey() {
    var settings =
        read(
            Map.of(
                "OLLAMA_URL", " http://ollama:11434 ",
                "LMS_AI_MODEL", "llama3.2:1b",
                "LMS_AI_TIMEOUT_MS", "30000",
                "LMS_AI_CONNECT_TIMEOUT_MS", "500",
                "LMS_AI_HEALTH_TIMEOUT_MS", "700",
                "LMS_AI_NUM_CTX", "0"));

    assertThat(settings)
        .isEqualTo(
            new OllamaSettings(
                URI.create("http://ollama:11434"),
                "llama3.2:1b",
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                Duration.ofMillis(700),
                0));
  }

  @Test
  void namesEveryBadKey() {
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "OLLAMA_URL", "ollama:11434",
                        "LMS_AI_TIMEOUT_MS", "2m",
                        "LMS_AI_HEALTH_TIMEOUT_MS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OLLAMA_URL")
        .hasMessageContaining("LMS_AI_TIMEOUT_MS")
        .hasMessageContaining("LMS_AI_HEALTH_TIMEOUT_MS");
  }

  @Test
  void theWarDefaultsAgreeAndFaultToleranceFollowsThem() throws IOException {
    var properties = new Properties();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
      properties.load(in);
    }
    var settings = OllamaSettings.read(key -> Optional.ofNullable(properties.getProperty(key)));

    assertThat(settings).isEqualTo(read(Map.of()));
    String calls = OllamaCalls.class.getName() + "/chat/";
    assertThat(properties.getProperty(calls + "Timeout/value")).isEqualTo("${LMS_AI_TIMEOUT_MS}");
    assertThat(properties.getProperty(calls + "Bulkhead/value")).isEqualTo("${LMS_AI_CONCURRENCY}");
    assertThat(properties.getProperty("LMS_AI_CONCURRENCY")).isEqualTo("2");
  }
}
