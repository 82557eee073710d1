package org.lms.infrastructure.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lms.application.port.LanguageModel.ChatMessage;
import org.lms.application.port.LanguageModel.Role;

class OllamaJsonTest {

  @Test
  void buildsOllamasChatRequest() {
    String json =
        OllamaJson.chatRequest(
            "gemma2:2b",
            List.of(
                new ChatMessage(Role.SYSTEM, "Rules \"quoted\"\nline two"),
                new ChatMessage(Role.USER, "Question?")),
            true,
            4096);

    var request = Json.createReader(new StringReader(json)).readObject();
    assertThat(request.getString("model")).isEqualTo("gemma2:2b");
    assertThat(request.getBoolean("stream")).isTrue();
    assertThat(request.getJsonArray("messages").getJsonObject(0).getString("role"))
        .isEqualTo("system");
    assertThat(request.getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo("Rules \"quoted\"\nline two");
    assertThat(request.getJsonArray("messages").getJsonObject(1).getString("role"))
        .isEqualTo("user");
    assertThat(request.getJsonObject("options").getInt("num_ctx")).isEqualTo(4096);
    assertThat(request.getJsonObject("options").getJsonNumber("temperature").doubleValue())
        .isEqualTo(OllamaJson.TEMPERATURE);
  }

  @Test
  void leavesTheContextWindowToOllamaWhenZero() {
    String json = OllamaJson.chatRequest("m", List.of(), false, 0);

    var request = Json.createReader(new StringReader(json)).readObject();
    assertThat(request.getJsonObject("options").containsKey("num_ctx")).isFalse();
    assertThat(request.getBoolean("stream")).isFalse();
  }

  @Test
  void readsAStreamedPiece() {
    var chunk =
        OllamaJson.chunk(
            "{\"model\":\"gemma2:2b\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\" term\"},\"done\":false}");

    assertThat(chunk).isEqualTo(new OllamaJson.Chunk(" term", false, null));
  }

  @Test
  void readsTheLastLine() {
    var chunk =
        OllamaJson.chunk(
            "{\"model\":\"gemma2:2b\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"done\":true,\"done_reason\":\"stop\",\"total_duration\":5,\"eval_count\":3}");

    assertThat(chunk).isEqualTo(new OllamaJson.Chunk("", true, "stop"));
  }

  @Test
  void readsALastLineWithoutAMessage() {
    assertThat(OllamaJson.chunk("{\"done\":true,\"done_reason\":\"length\"}"))
        .isEqualTo(new OllamaJson.Chunk("", true, "length"));
  }

  @Test
  void anErrorLineMidStreamIsABadReply() {
    assertThatThrownBy(() -> OllamaJson.chunk("{\"error\":\"an error was encountered\"}"))
        .isInstanceOf(OllamaFailure.BadReply.class)
        .hasMessage("an error was encountered");
  }

  @Test
  void refusesLinesThatAreNotReplies() {
    for (String line :
        List.of(
            "not json",
            "[1,2]",
            "{\"message\":\"text\",\"done\":false}",
            "{\"model\":\"m\",\"done\":false}",
            "{\"message\":{\"content\":\"unterminated")) {
      assertThatThrownBy(() -> OllamaJson.chunk(line))
          .as(line)
          .isInstanceOf(OllamaFailure.BadReply.class);
    }
  }

  @Test
  void readsOllamasErrorText() {
    assertThat(
            OllamaJson.errorMessage(
                "{\"error\":\"model \\\"x\\\" not found, try pulling it first\"}"))
        .isEqualTo("model \"x\" not found, try pulling it first");
    assertThat(OllamaJson.errorMessage("<html><body>502 Bad Gateway</body></html>\n"))
        .isEqualTo("<html><body>502 Bad Gateway</body></html>");
    assertThat(OllamaJson.errorMessage("")).isEqualTo("no details given");
    assertThat(OllamaJson.errorMessage("x".repeat(1000))).hasSize(303).endsWith("...");
  }

  @Test
  void listsTheInstalledModels() {
    String tags =
        "{\"models\":[{\"name\":\"gemma2:2b\",\"model\":\"gemma2:2b\",\"size\":1},"
            + "{\"name\":\"llama3.2:latest\",\"model\":\"llama3.2:latest\"},{\"model\":\"x:1\"}]}";

    assertThat(OllamaJson.modelNames(tags)).containsExactly("gemma2:2b", "llama3.2:latest", "x:1");
    assertThat(OllamaJson.modelNames("{\"models\":[]}")).isEmpty();
    assertThatThrownBy(() -> OllamaJson.modelNames("{}"))
        .isInstanceOf(OllamaFailure.BadReply.class);
  }

  @Test
  void mapsHttpErrorsByStatus() {
    assertThat(OllamaErrorMapper.failure(404, "{\"error\":\"model \\\"x\\\" not found\"}"))
        .isInstanceOfSatisfying(
            OllamaFailure.Refused.class,
            refused -> {
              assertThat(refused.status()).isEqualTo(404);
              assertThat(refused.serverMessage()).isEqualTo("model \"x\" not found");
            });
    assertThat(OllamaErrorMapper.failure(503, "{\"error\":\"server busy\"}"))
        .isInstanceOf(OllamaFailure.BadReply.class)
        .hasMessage("HTTP 503: server busy");
    assertThat(new OllamaErrorMapper().handles(399, null)).isFalse();
    assertThat(new OllamaErrorMapper().handles(400, null)).isTrue();
  }
}
