package org.lms.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small HTTP server that speaks Ollama's real API, for tests: no model weights can be downloaded
 * on these machines (DESIGN §10). It listens on 127.0.0.1 at a port picked at run time and keeps
 * that port across {@link #stop()} and {@link #start()}, so a test can take "Ollama" down and bring
 * it back while nodes (in-process or separate processes given {@code OLLAMA_URL=}{@link #url()})
 * keep their setting.
 *
 * <ul>
 *   <li>{@code GET /api/tags}: the configured models.
 *   <li>{@code POST /api/chat}: the reply function's text, with {@code "stream": true} (Ollama's
 *       default) as NDJSON pieces flushed one by one, else as one JSON object; an unknown model
 *       gets Ollama's 404 {@code {"error":"model \"x\" not found, try pulling it first"}}.
 * </ul>
 *
 * Every chat request body is recorded, parsed, so a test can read the prompt and count calls. All
 * settings may change while it runs; it is thread-safe.
 */
public final class OllamaStandIn implements AutoCloseable {
  static {
    // Ollama's Go server sets TCP_NODELAY; the JDK's HttpServer leaves Nagle's algorithm on unless
    // told, so a reply's first small piece waited for the client's delayed ACK (about 40 ms,
    // measured by bench/run ai). Read once, when the JVM's first HttpServer starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final int port;
  private final List<JsonObject> chatRequests = new CopyOnWriteArrayList<>();

  private volatile Set<String> models = Set.of("gemma2:2b");
  private volatile Function<JsonObject, String> reply = OllamaStandIn::echo;
  private volatile Duration firstByteDelay = Duration.ZERO;
  private volatile Duration pieceDelay = Duration.ZERO;
  private volatile boolean endless;
  private volatile boolean malformed;
  private volatile int errorStatus;
  private volatile String errorMessage = "";

  private HttpServer server;
  private ExecutorService handlers;

  private OllamaStandIn(int port) {
    this.port = port;
  }

  /** A stand-in already listening on a free loopback port. */
  public static OllamaStandIn start() {
    var standIn = new OllamaStandIn(FreePorts.loopback(1)[0]);
    standIn.startAgain();
    return standIn;
  }

  /** Listens again on the same port after {@link #stop()}; does nothing if it is running. */
  public synchronized OllamaStandIn startAgain() {
    if (server != null) {
      return this;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /**
   * Stops listening and cuts every open reply (their handler threads are interrupted), as a crashed
   * Ollama would. Connections are refused until {@link #startAgain()}.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(0);
    handlers.shutdownNow();
    server = null;
    handlers = null;
  }

  @Override
  public void close() {
    stop();
  }

  /** The base URL to give a client as {@code OLLAMA_URL}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** The models {@code /api/tags} lists and {@code /api/chat} accepts. */
  public OllamaStandIn models(String... names) {
    models = Set.of(names);
    return this;
  }

  /** What the model "says" for a chat request (the parsed body). Default: echoes the prompt. */
  public OllamaStandIn reply(Function<JsonObject, String> replyFunction) {
    reply = replyFunction;
    return this;
  }

  /** The same text for every request. */
  public OllamaStandIn reply(String text) {
    return reply(request -> text);
  }

  /** Waits this long before sending any byte of a chat reply (headers included). */
  public OllamaStandIn firstByteDelay(Duration delay) {
    firstByteDelay = delay;
    return this;
  }

  /** Waits this long before each streamed piece after the first. */
  public OllamaStandIn pieceDelay(Duration delay) {
    pieceDelay = delay;
    return this;
  }

  /** Streams the reply's pieces over and over and never sends {@code "done": true}. */
  public OllamaStandIn endless(boolean on) {
    endless = on;
    return this;
  }

  /** Sends a line that is not JSON after the first streamed piece. */
  public OllamaStandIn malformed(boolean on) {
    malformed = on;
    return this;
  }

  /** Answers every chat request with this HTTP status and {@code {"error": message}}; 0: off. */
  public OllamaStandIn error(int status, String message) {
    errorStatus = status;
    errorMessage = message;
    return this;
  }

  /** Back to a healthy server with the default model and reply, and no recorded requests. */
  public OllamaStandIn reset() {
    chatRequests.clear();
    models = Set.of("gemma2:2b");
    reply = OllamaStandIn::echo;
    firstByteDelay = Duration.ZERO;
    pieceDelay = Duration.ZERO;
    endless = false;
    malformed = false;
    errorStatus = 0;
    return this;
  }

  /** Every {@code /api/chat} body received, parsed, oldest first. */
  public List<JsonObject> chatRequests() {
    return List.copyOf(chatRequests);
  }

  public int chatCalls() {
    return chatRequests.size();
  }

  /** The {@code content} of the last message of the last chat request. */
  public String lastPrompt() {
    List<JsonObject> all = chatRequests();
    if (all.isEmpty()) {
      throw new IllegalStateException("no chat request yet");
    }
    JsonArray messages = all.get(all.size() - 1).getJsonArray("messages");
    return messages.getJsonObject(messages.size() - 1).getString("content");
  }

  /** Splits a reply the way a model streams it: word by word, spaces kept. */
  public static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ') {
        pieces.add(text.substring(start, i));
        start = i;
      }
    }
    return pieces;
  }

  private static String echo(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages");
    String last =
        messages == null || messages.isEmpty()
            ? ""
            : messages.getJsonObject(messages.size() - 1).getString("content", "");
    return "You asked: " + last;
  }

  private void handle(HttpExchange exchange) {
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/") && method.equals("GET")) {
        send(exchange, 200, "text/plain; charset=utf-8", "Ollama is running");
      } else if (path.equals("/api/tags") && method.equals("GET")) {
        send(exchange, 200, "application/json; charset=utf-8", tags());
      } else if (path.equals("/api/chat") && method.equals("POST")) {
        chat(exchange);
      } else {
        send(exchange, 404, "text/plain; charset=utf-8", "404 page not found");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stop(): the server is going away mid-reply
    } catch (IOException e) {
      // the client went away mid-reply, as clients of a slow model do
    } finally {
      exchange.close();
    }
  }

  private String tags() {
    var list = Json.createArrayBuilder();
    for (String name : models.stream().sorted().toList()) {
      list.add(
          Json.createObjectBuilder()
              .add("name", name)
              .add("model", name)
              .add("modified_at", "2026-01-01T00:00:00Z")
              .add("size", 1_629_518_495L)
              .add("digest", "0".repeat(64))
              .add(
                  "details",
                  Json.createObjectBuilder()
                      .add("format", "gguf")
                      .add("family", "gemma2")
                      .add("parameter_size", "2.6B")
                      .add("quantization_level", "Q4_0")));
    }
    return Json.createObjectBuilder().add("models", list).build().toString();
  }

  private void chat(HttpExchange exchange) throws IOException, InterruptedException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonObject request;
    try (var reader = Json.createReader(new StringReader(body))) {
      request = reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      sendError(exchange, 400, "invalid character in request body");
      return;
    }
    chatRequests.add(request);
    Thread.sleep(firstByteDelay.toMillis());
    if (errorStatus != 0) {
      sendError(exchange, errorStatus, errorMessage);
      return;
    }
    String model = request.getString("model", "");
    if (model.isEmpty()) {
      sendError(exchange, 400, "model is required");
      return;
    }
    if (!models.contains(model)) {
      sendError(exchange, 404, "model \"" + model + "\" not found, try pulling it first");
      return;
    }
    String text = reply.apply(request);
    if (request.get("stream") == JsonValue.FALSE) {
      send(exchange, 200, "application/json; charset=utf-8", line(model, text, true).toString());
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    exchange.sendResponseHeaders(200, 0); // chunked
    OutputStream out = exchange.getResponseBody();
    List<String> pieces = pieces(text);
    boolean first = true;
    do {
      for (String piece : pieces) {
        if (!first) {
          Thread.sleep(pieceDelay.toMillis());
        }
        write(out, line(model, piece, false).toString());
        if (first && malformed) {
          write(out, "this is not json");
        }
        first = false;
      }
    } while (endless);
    write(out, line(model, "", true).toString());
  }

  private static JsonObject line(String model, String content, boolean done) {
    var object =
        Json.createObjectBuilder()
            .add("model", model)
            .add("created_at", Instant.now().toString())
            .add(
                "message",
                Json.createObjectBuilder().add("role", "assistant").add("content", content))
            .add("done", done);
    if (done) {
      object
          .add("done_reason", "stop")
          .add("total_duration", 1_000_000L)
          .add("load_duration", 1_000L)
          .add("prompt_eval_count", 10)
          .add("eval_count", 10)
          .add("eval_duration", 1_000_000L);
    }
    return object.build();
  }

  private static void write(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sendError(HttpExchange exchange, int status, String message)
      throws IOException {
    send(
        exchange,
        status,
        "application/json; charset=utf-8",
        Json.createObjectBuilder().add("error", message).build().toString());
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** For a manual run or a process-level test: serves until the JVM ends. */
  public static void main(String[] args) {
    var standIn = start();
    System.out.println("OLLAMA_URL=" + standIn.url());
  }
}
