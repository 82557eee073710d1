package org.lms.infrastructure.ollama;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.lms.application.port.LanguageModel.ChatMessage;
import org.lms.application.port.LanguageModel.Health;

/**
 * Talks to one Ollama server through the MicroProfile REST client {@link OllamaApi} and enforces
 * the reply's bound itself. A plain class (no CDI, no Fault Tolerance), so tests run it against the
 * Ollama stand-in over real HTTP.
 *
 * <p>Why a reader thread: a socket read blocked inside {@code HttpURLConnection} ignores {@code
 * Thread.interrupt()}, and its read timeout restarts with every byte, so a server that sends
 * headers and then trickles or stalls could hold the caller far past the bound. The HTTP call and
 * the reading run on a reader thread that hands lines over a queue; the caller waits on the queue
 * only until the deadline, parses the lines and hands each piece to the consumer on its own thread.
 * A reader left behind stops at its next read (it checks the deadline after every read) or at the
 * read timeout, whichever comes first.
 */
final class OllamaClient implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OllamaClient.class.getName());

  /** Ollama's lines are small JSON objects; anything this long is not a reply. */
  private static final int MAX_LINE_BYTES = 1 << 20;

  private static final String DISABLE_DEFAULT_MAPPER =
      "microprofile.rest.client.disable.default.mapper";

  private final OllamaSettings settings;
  private final OllamaApi chatApi;
  private final OllamaApi probeApi;
  private final ExecutorService readers;

  OllamaClient(OllamaSettings settings) {
    this.settings = settings;
    this.chatApi = build(settings.connectTimeout(), settings.replyTimeout());
    this.probeApi = build(settings.healthTimeout(), settings.healthTimeout());
    // threads made later inherit no web-app class loader from whoever happens to start them
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    AtomicInteger count = new AtomicInteger();
    this.readers =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "ollama-reader-" + count.incrementAndGet());
              thread.setDaemon(true);
              thread.setContextClassLoader(loader);
              return thread;
            });
  }

  private OllamaApi build(Duration connect, Duration read) {
    return RestClientBuilder.newBuilder()
        .baseUri(settings.url())
        .connectTimeout(connect.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
        .property(DISABLE_DEFAULT_MAPPER, Boolean.TRUE)
        .register(new OllamaErrorMapper())
        .build(OllamaApi.class);
  }

  OllamaSettings settings() {
    return settings;
  }

  /** Streams a reply; see {@link #chat(List, Consumer, boolean)}. */
  String chat(List<ChatMessage> messages, Consumer<String> pieces) {
    return chat(messages, pieces, true);
  }

  /**
   * Sends {@code messages} and returns the whole reply, handing each piece to {@code pieces} on the
   * calling thread as it arrives ({@code stream = false}: the whole reply as one piece).
   *
   * @throws OllamaFailure when no complete reply arrives within {@code replyTimeout}; an exception
   *     thrown by {@code pieces} passes through unchanged
   */
  String chat(List<ChatMessage> messages, Consumer<String> pieces, boolean stream) {
    long deadline = System.nanoTime() + settings.replyTimeout().toNanos();
    String request = OllamaJson.chatRequest(settings.model(), messages, stream, settings.numCtx());
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    AtomicBoolean abandoned = new AtomicBoolean();
    readers.execute(() -> read(request, events, abandoned, deadline));
    try {
      StringBuilder reply = new StringBuilder();
      StringBuilder whole = stream ? null : new StringBuilder();
      while (true) {
        Event event = next(events, deadline);
        if (event instanceof Line line) {
          if (whole != null) {
            whole.append(line.text()).append('\n');
            continue;
          }
          OllamaJson.Chunk chunk = OllamaJson.chunk(line.text());
          if (!chunk.content().isEmpty()) {
            reply.append(chunk.content());
            pieces.accept(chunk.content());
          }
          if (chunk.done()) {
            return reply.toString();
          }
        } else if (event instanceof Failed failed) {
          throw failed.failure();
        } else if (whole != null && !whole.isEmpty()) {
          OllamaJson.Chunk chunk = OllamaJson.chunk(whole.toString());
          if (!chunk.done()) {
            throw new OllamaFailure.BadReply("a reply without \"done\": true", null);
          }
          if (!chunk.content().isEmpty()) {
            pieces.accept(chunk.content());
          }
          return chunk.content();
        } else {
          throw new OllamaFailure.BadReply("the reply ended before \"done\": true", null);
        }
      }
    } finally {
      abandoned.set(true);
    }
  }

  private Event next(BlockingQueue<Event> events, long deadline) {
    long left = deadline - System.nanoTime();
    Event event = null;
    try {
      if (left > 0) {
        event = events.poll(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      // Fault Tolerance's @Timeout interrupts this thread when the bound is reached; the
      // interrupt is answered here with TooSlow and not passed on, because Payara leaves the flag
      // set when the method throws, and the request thread would then fail its next wait.
      throw new OllamaFailure.TooSlow("interrupted while waiting for the reply", e);
    }
    if (event == null) {
      throw new OllamaFailure.TooSlow(
          "no complete reply within " + settings.replyTimeout().toMillis() + " ms", null);
    }
    return event;
  }

  /** The reader thread: makes the HTTP call and passes lines on until the end or the deadline. */
  private void read(
      String request, BlockingQueue<Event> events, AtomicBoolean abandoned, long deadline) {
    try (InputStream body = chatApi.chat(request)) {
      NdjsonLines lines = new NdjsonLines(MAX_LINE_BYTES);
      byte[] buffer = new byte[8192];
      int count;
      while (!abandoned.get() && System.nanoTime() - deadline < 0) {
        count = body.read(buffer);
        if (count < 0) {
          lines.finish(text -> events.add(new Line(text)));
          events.add(new End());
          return;
        }
        lines.feed(buffer, count, text -> events.add(new Line(text)));
      }
    } catch (RuntimeException | IOException e) {
      if (!abandoned.get()) {
        events.add(new Failed(failure(e)));
      } else {
        LOG.log(Level.FINE, "An abandoned Ollama reply ended with an error", e);
      }
    }
  }

  /**
   * Whether the server answers {@code /api/tags} within the health timeout and lists the configured
   * model. Never throws.
   */
  Health health() {
    String model = settings.model();
    try {
      List<String> installed = OllamaJson.modelNames(probeApi.tags());
      if (ModelNames.installed(model, installed)) {
        return new Health(true, true, model, "Ollama answers and has " + model);
      }
      return new Health(
          true,
          false,
          model,
          "Ollama answers but does not have "
              + model
              + " (it has "
              + (installed.isEmpty() ? "no models" : String.join(", ", installed))
              + "); run: ollama pull "
              + model);
    } catch (OllamaFailure.Refused | OllamaFailure.BadReply e) {
      return new Health(true, false, model, "Ollama answers /api/tags badly: " + e.detail());
    } catch (RuntimeException e) {
      return new Health(
          false, false, model, "Ollama at " + settings.url() + ": " + failure(e).detail());
    }
  }

  /** Maps what the REST client and the socket throw to the failure kinds. */
  static OllamaFailure failure(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof OllamaFailure failure) {
        return failure;
      }
      if (t instanceof WebApplicationException web && web.getResponse() != null) {
        return OllamaErrorMapper.failure(web.getResponse().getStatus(), null);
      }
    }
    Throwable root = thrown;
    while (root.getCause() != null && root != root.getCause()) {
      root = root.getCause();
    }
    String what = root.getClass().getSimpleName() + ": " + root.getMessage();
    if (root instanceof SocketTimeoutException && !isConnectTimeout(root)) {
      return new OllamaFailure.TooSlow("the server stopped sending (" + what + ")", thrown);
    }
    if (root instanceof ConnectException
        || root instanceof IOException
        || thrown instanceof ProcessingException) {
      return new OllamaFailure.Unreachable(what, thrown);
    }
    return new OllamaFailure.BadReply(what, thrown);
  }

  private static boolean isConnectTimeout(Throwable timeout) {
    String message = String.valueOf(timeout.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("connect");
  }

  @Override
  public void close() {
    readers.shutdownNow();
    for (OllamaApi api : List.of(chatApi, probeApi)) {
      try {
        ((AutoCloseable) api).close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "Closing an Ollama REST client failed", e);
      }
    }
  }

  private sealed interface Event permits Line, End, Failed {}

  private record Line(String text) implements Event {}

  private record End() implements Event {}

  private record Failed(OllamaFailure failure) implements Event {}
}
