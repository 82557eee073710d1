package org.lms.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stand-in speaks Ollama's API as a plain HTTP client sees it. */
class OllamaStandInTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final OllamaStandIn ollama = OllamaStandIn.start();

  @AfterEach
  void stop() {
    ollama.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(ollama.url().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<InputStream> chat(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(ollama.url().resolve("/api/chat"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  private static String request(String model, boolean stream, String question) {
    return Json.createObjectBuilder()
        .add("model", model)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", question)))
        .add("stream", stream)
        .build()
        .toString();
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  private static List<JsonObject> lines(InputStream body) throws IOException {
    List<JsonObject> lines = new ArrayList<>();
    try (var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        lines.add(json(line));
      }
    }
    return lines;
  }

  @Test
  void listsItsModels() throws Exception {
    ollama.models("gemma2:2b", "llama3.2:1b");

    var response = get("/api/tags");

    assertThat(response.statusCode()).isEqualTo(200);
    var models = json(response.body()).getJsonArray("models");
    assertThat(models).hasSize(2);
    assertThat(models.getJsonObject(0).getString("name")).isEqualTo("gemma2:2b");
    assertThat(models.getJsonObject(0).getString("model")).isEqualTo("gemma2:2b");
    assertThat(get("/").body()).isEqualTo("Ollama is running");
  }

  @Test
  void streamsNdjsonPieceByPiece() throws Exception {
    ollama.reply("Raft elects a leader.");

    var response = chat(request("gemma2:2b", true, "What does Raft do?"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    List<JsonObject> lines = lines(response.body());
    assertThat(lines).hasSize(5);
    assertThat(lines.subList(0, 4))
        .extracting(line -> line.getJsonObject("message").getString("content"))
        .containsExactly("Raft", " elects", " a", " leader.");
    assertThat(lines.get(0).getBoolean("done")).isFalse();
    JsonObject last = lines.get(4);
    assertThat(last.getBoolean("done")).isTrue();
    assertThat(last.getString("done_reason")).isEqualTo("stop");
    assertThat(last.getJsonObject("message").getString("role")).isEqualTo("assistant");
    assertThat(last.containsKey("eval_count")).isTrue();
  }

  @Test
  void flushesEachPieceAsItIsMade() throws Exception {
    ollama.reply("one two").pieceDelay(Duration.ofSeconds(30));

    var response = chat(request("gemma2:2b", true, "q"));
    var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));

    // the first piece is readable long before the second is due
    assertThat(json(reader.readLine()).getJsonObject("message").getString("content"))
        .isEqualTo("one");
    reader.close();
  }

  @Test
  void answersWithOneObjectWhenNotStreaming() throws Exception {
    var response = chat(request("gemma2:2b", false, "Hi?"));

    assertThat(response.statusCode()).isEqualTo(200);
    var reply = json(new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
    assertThat(reply.getJsonObject("message").getString("content")).isEqualTo("You asked: Hi?");
    assertThat(reply.getBoolean("done")).isTrue();
  }

  @Test
  void refusesAnUnknownModelAsOllamaDoes() throws Exception {
    var response = chat(request("llama9:999b", true, "q"));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)))
        .isEqualTo(
            Json.createObjectBuilder()
                .add("error", "model \"llama9:999b\" not found, try pulling it first")
                .build());
  }

  @Test
  void recordsEveryRequestAndAnswersWithTheReplyFunction() throws Exception {
    ollama.reply(request -> "model " + request.getString("model"));

    lines(chat(request("gemma2:2b", true, "first")).body());
    var second = lines(chat(request("gemma2:2b", true, "second")).body());

    assertThat(ollama.chatCalls()).isEqualTo(2);
    assertThat(ollama.lastPrompt()).isEqualTo("second");
    assertThat(ollama.chatRequests().get(0).getBoolean("stream")).isTrue();
    assertThat(second.get(0).getJsonObject("message").getString("content")).isEqualTo("model");
  }

  @Test
  void answersWithAConfiguredError() throws Exception {
    ollama.error(500, "llama runner process has terminated");

    var response = chat(request("gemma2:2b", true, "q"));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"llama runner process has terminated\"}");
  }

  @Test
  void waitsBeforeTheFirstByte() throws Exception {
    ollama.firstByteDelay(Duration.ofMillis(300));
    long start = System.nanoTime();

    chat(request("gemma2:2b", true, "q"));

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void refusesConnectionsWhileStoppedAndComesBackOnTheSamePort() throws Exception {
    int port = ollama.port();
    ollama.stop();

    assertThatThrownBy(() -> get("/api/tags")).isInstanceOf(ConnectException.class);

    ollama.startAgain();
    assertThat(ollama.port()).isEqualTo(port);
    assertThat(get("/api/tags").statusCode()).isEqualTo(200);
  }

  @Test
  void stoppingCutsAnOpenReply() throws Exception {
    ollama.endless(true).pieceDelay(Duration.ofMillis(20));
    var response = chat(request("gemma2:2b", true, "q"));
    var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    reader.readLine();

    ollama.stop();

    assertThatThrownBy(
            () -> {
              while (reader.readLine() != null) {
                // drain until the cut
              }
              throw new IOException("ended cleanly");
            })
        .isInstanceOf(IOException.class)
        .hasMessageNotContaining("ended cleanly");
  }

  @Test
  void servesRequestsInParallel() throws Exception {
    ollama.firstByteDelay(Duration.ofMillis(300));
    int calls = 6;
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    var done = new CountDownLatch(calls);
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      String question = "q" + i;
      pool.execute(
          () -> {
            try {
              lines(chat(request("gemma2:2b", true, question)).body());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            } finally {
              done.countDown();
            }
          });
    }

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    assertThat(ollama.chatCalls()).isEqualTo(calls);
    pool.shutdown();
  }
}
