package org.lms.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.lms.application.port.LanguageModel;

class AiHealthResourceTest {

  private static AiHealthResource resourceSeeing(LanguageModel.Health health) {
    var resource = new AiHealthResource();
    resource.languageModel =
        new LanguageModel() {
          @Override
          public String name() {
            return health.model();
          }

          @Override
          public String chat(List<ChatMessage> messages, Consumer<String> pieces) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Health health() {
            return health;
          }
        };
    return resource;
  }

  @Test
  void upIs200() {
    var response = resourceSeeing(new LanguageModel.Health(true, true, "gemma2:2b", "ok")).health();

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getEntity())
        .isEqualTo(new AiHealthView("UP", true, "gemma2:2b", true, "ok"));
  }

  @Test
  void aMissingModelIs503() {
    var response =
        resourceSeeing(new LanguageModel.Health(true, false, "gemma2:2b", "not pulled")).health();

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getEntity())
        .isEqualTo(new AiHealthView("DOWN", true, "gemma2:2b", false, "not pulled"));
  }

  @Test
  void rendersTheDocumentedJson() throws Exception {
    try (Jsonb jsonb = JsonbBuilder.create()) {
      assertThat(jsonb.toJson(new AiHealthView("DOWN", false, "gemma2:2b", false, "refused")))
          .isEqualTo(
              "{\"status\":\"DOWN\",\"reachable\":false,\"model\":\"gemma2:2b\","
                  + "\"modelPresent\":false,\"detail\":\"refused\"}");
    }
  }

  @Test
  void anUnreachableServerIs503() {
    var response =
        resourceSeeing(new LanguageModel.Health(false, false, "gemma2:2b", "refused")).health();

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(((AiHealthView) response.getEntity()).status()).isEqualTo("DOWN");
  }
}
