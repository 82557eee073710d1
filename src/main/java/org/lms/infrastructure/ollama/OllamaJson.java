package org.lms.infrastructure.ollama;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lms.application.port.LanguageModel.ChatMessage;

/**
 * The JSON of Ollama's HTTP API ({@code /api/chat} requests and NDJSON replies, {@code /api/tags},
 * {@code {"error": ...}} bodies), built and read with JSON-P. Pure: no I/O, so tests call it
 * directly.
 */
final class OllamaJson {
  private static final JsonProvider JSON = JsonProvider.provider();

  /**
   * Low temperature: answers grounded in course material should not wander; Ollama's default (0.8)
   * is tuned for chat.
   */
  static final double TEMPERATURE = 0.2;

  /** The longest server text we repeat in a message; Ollama's errors are one short line. */
  private static final int MAX_ERROR_CHARS = 300;

  private OllamaJson() {}

  /** One parsed NDJSON line of a chat reply. */
  record Chunk(String content, boolean done, String doneReason) {}

  /** The body of {@code POST /api/chat}. */
  static String chatRequest(String model, List<ChatMessage> messages, boolean stream, int numCtx) {
    var list = JSON.createArrayBuilder();
    for (ChatMessage message : messages) {
      list.add(
          JSON.createObjectBuilder()
              .add("role", message.role().name().toLowerCase(Locale.ROOT))
              .add("content", message.content()));
    }
    var options = JSON.createObjectBuilder().add("temperature", TEMPERATURE);
    if (numCtx > 0) {
      options.add("num_ctx", numCtx);
    }
    return JSON.createObjectBuilder()
        .add("model", model)
        .add("messages", list)
        .add("stream", stream)
        .add("options", options)
        .build()
        .toString();
  }

  /**
   * Reads one line of a chat reply (or the whole non-streaming reply).
   *
   * @throws OllamaFailure.BadReply when the line is not a JSON object of the expected shape, or is
   *     Ollama's {@code {"error": ...}} sent after the reply had started
   */
  static Chunk chunk(String line) {
    JsonObject object = object(line);
    if (object.containsKey("error")) {
      throw new OllamaFailure.BadReply(text(object.get("error")), null);
    }
    String content = "";
    JsonValue message = object.get("message");
    if (message instanceof JsonObject m && m.get("content") instanceof JsonString s) {
      content = s.getString();
    } else if (message != null && message.getValueType() != JsonValue.ValueType.NULL) {
      throw new OllamaFailure.BadReply(
          "a reply line with a malformed message: " + clip(line), null);
    }
    boolean done = object.get("done") == JsonValue.TRUE;
    String doneReason =
        object.get("done_reason") instanceof JsonString reason ? reason.getString() : null;
    if (message == null && !done) {
      throw new OllamaFailure.BadReply("a reply line without a message: " + clip(line), null);
    }
    return new Chunk(content, done, doneReason);
  }

  /**
   * The text of an error body: Ollama's {@code error} field, else the body itself (shortened), so a
   * proxy's HTML error page still says something.
   */
  static String errorMessage(String body) {
    if (body == null || body.isBlank()) {
      return "no details given";
    }
    try {
      JsonObject object = object(body);
      if (object.containsKey("error")) {
        return clip(text(object.get("error")));
      }
    } catch (OllamaFailure.BadReply notJson) {
      // fall through to the raw body
    }
    return clip(body.strip());
  }

  /** Every {@code name} and {@code model} listed by {@code GET /api/tags}. */
  static List<String> modelNames(String tagsBody) {
    JsonObject object = object(tagsBody);
    if (!(object.get("models") instanceof JsonArray models)) {
      throw new OllamaFailure.BadReply("/api/tags answered without a models list", null);
    }
    List<String> names = new ArrayList<>();
    for (JsonValue entry : models) {
      if (entry instanceof JsonObject model) {
        for (String key : List.of("name", "model")) {
          if (model.get(key) instanceof JsonString name && !names.contains(name.getString())) {
            names.add(name.getString());
          }
        }
      }
    }
    return names;
  }

  private static JsonObject object(String text) {
    try (var reader = JSON.createReader(new StringReader(text))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new OllamaFailure.BadReply("a reply that is not a JSON object: " + clip(text), e);
    }
  }

  private static String text(JsonValue value) {
    return value instanceof JsonString s ? s.getString() : String.valueOf(value);
  }

  private static String clip(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MAX_ERROR_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_ERROR_CHARS) + "...";
  }
}
