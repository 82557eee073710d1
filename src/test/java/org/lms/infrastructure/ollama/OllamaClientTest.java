package org.lms.infrastructure.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lms.application.port.LanguageModel.ChatMessage;
import org.lms.application.port.LanguageModel.Failure;
import org.lms.application.port.LanguageModel.Health;
import org.lms.application.port.LanguageModel.LanguageModelException;
import org.lms.application.port.LanguageModel.Role;
import org.lms.testing.OllamaStandIn;

/**
 * The real client (MicroProfile REST client, NDJSON reading, the reply's deadline) against the
 * Ollama stand-in over real HTTP. Fault Tolerance needs the container; the bounds here are the
 * client's own.
 */
class OllamaClientTest {
  private static final Duration BOUND = Duration.ofMillis(1500);

  /** Generous: the bound must hold on a busy 2-core CI machine too. */
  private static final Duration MARGIN = Duration.ofMillis(1500);

  private static final List<ChatMessage> QUESTION =
      List.of(
          new ChatMessage(Role.SYSTEM, "Answer from the course material only."),
          new ChatMessage(Role.USER, "What is a Raft term?"));

  private static OllamaStandIn ollama;
  private OllamaClient client;

  @BeforeAll
  static void startStandIn() {
    ollama = OllamaStandIn.start();
  }

  @AfterAll
  static void stopStandIn() {
    ollama.close();
  }

  @BeforeEach
  void connect() {
    ollama.startAgain().reset();
    client = new OllamaClient(settings("gemma2:2b"));
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static OllamaSettings settings(String model) {
    return new OllamaSettings(
        ollama.url(), model, BOUND, Duration.ofMillis(1000), Duration.ofMillis(1000), 4096);
  }

  @Test
  void streamsThePiecesInOrderAndReturnsTheWholeReply() {
    String answer = "A term is a period with at most one leader.";
    ollama.reply(answer).pieceDelay(Duration.ofMillis(20));
    List<String> pieces = new CopyOnWriteArrayList<>();
    Thread caller = Thread.currentThread();
    List<Thread> threads = new CopyOnWriteArrayList<>();

    String reply =
        client.chat(
            QUESTION,
            piece -> {
              pieces.add(piece);
              threads.add(Thread.currentThread());
            });

    assertThat(reply).isEqualTo(answer);
    assertThat(pieces).containsExactlyElementsOf(OllamaStandIn.pieces(answer)).hasSize(10);
    assertThat(threads).allMatch(t -> t == caller);
  }

  @Test
  void sendsOllamasChatRequest() {
    client.chat(QUESTION, piece -> {});

    var request = ollama.chatRequests().get(0);
    assertThat(request.getString("model")).isEqualTo("gemma2:2b");
    assertThat(request.getBoolean("stream")).isTrue();
    assertThat(request.getJsonObject("options").getInt("num_ctx")).isEqualTo(4096);
    var messages = request.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
    assertThat(messages.getJsonObject(1).getString("role")).isEqualTo("user");
    assertThat(ollama.lastPrompt()).isEqualTo("What is a Raft term?");
  }

  @Test
  void readsANonStreamingReply() {
    ollama.reply("One object, not a stream.");
    List<String> pieces = new CopyOnWriteArrayList<>();

    String reply = client.chat(QUESTION, pieces::add, false);

    assertThat(reply).isEqualTo("One object, not a stream.");
    assertThat(pieces).containsExactly("One object, not a stream.");
    assertThat(ollama.chatRequests().get(0).getBoolean("stream")).isFalse();
  }

  @Test
  void anUnknownModelIsUnavailableWithOllamasWords() {
    client.close();
    client = new OllamaClient(settings("llama9:999b"));

    var failure = catchThrowableOfType(OllamaFailure.Refused.class, () -> chat());

    assertThat(failure.status()).isEqualTo(404);
    assertThat(failure.serverMessage())
        .isEqualTo("model \"llama9:999b\" not found, try pulling it first");
    LanguageModelException forUser = failure.toLanguageModelException();
    assertThat(forUser.failure()).isEqualTo(Failure.UNAVAILABLE);
    assertThat(forUser.getMessage())
        .contains("model \"llama9:999b\" not found, try pulling it first")
        .doesNotContain("stays open");
  }

  @Test
  void aServerErrorIsABadReply() {
    ollama.error(500, "llama runner process has terminated: signal: killed");

    assertThatThrownBy(this::chat)
        .isInstanceOf(OllamaFailure.BadReply.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("llama runner process has terminated");
  }

  @Test
  void aStoppedServerIsUnreachableAtOnce() {
    ollama.stop();
    long start = System.nanoTime();

    assertThatThrownBy(this::chat).isInstanceOf(OllamaFailure.Unreachable.class);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(
            ((OllamaFailure) catchThrowableOfType(OllamaFailure.class, this::chat))
                .toLanguageModelException()
                .getMessage())
        .isEqualTo("The AI assistant is not reachable right now.");
  }

  @Test
  void aServerBackOnTheSamePortAnswersAgain() {
    ollama.stop();
    assertThatThrownBy(this::chat).isInstanceOf(OllamaFailure.Unreachable.class);

    ollama.startAgain();

    assertThat(chat()).startsWith("You asked: ");
  }

  @Test
  void aServerThatStallsBeforeTheFirstByteTimesOutWithinTheBound() {
    ollama.firstByteDelay(Duration.ofSeconds(30));

    assertTimesOut();
  }

  @Test
  void aServerThatTricklesForeverTimesOutWithinTheBound() {
    ollama.endless(true).pieceDelay(Duration.ofMillis(50));
    List<String> pieces = new CopyOnWriteArrayList<>();

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.chat(QUESTION, pieces::add))
        .isInstanceOf(OllamaFailure.TooSlow.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(BOUND)
        .isLessThan(BOUND.plus(MARGIN));
    assertThat(pieces).isNotEmpty();
  }

  @Test
  void aServerThatStallsMidReplyTimesOutWithinTheBound() {
    // the first piece comes at once, then the next only after 30 s
    ollama.reply("first second").pieceDelay(Duration.ofSeconds(30));

    assertTimesOut();
  }

  @Test
  void anInterruptedCallerGivesUpAtOnce() throws Exception {
    ollama.firstByteDelay(Duration.ofSeconds(30));
    Thread caller = Thread.currentThread();
    Thread interrupter =
        new Thread(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                return;
              }
              caller.interrupt();
            });
    interrupter.start();
    long start = System.nanoTime();

    assertThatThrownBy(this::chat).isInstanceOf(OllamaFailure.TooSlow.class);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    assertThat(Thread.interrupted()).as("the interrupt was consumed").isFalse();
    interrupter.join();
  }

  @Test
  void aBrokenLineIsABadReply() {
    ollama.malformed(true);

    assertThatThrownBy(this::chat)
        .isInstanceOf(OllamaFailure.BadReply.class)
        .hasMessageContaining("this is not json");
  }

  @Test
  void healthIsUpWhenTheModelIsInstalled() {
    Health health = client.health();

    assertThat(health.up()).isTrue();
    assertThat(health.model()).isEqualTo("gemma2:2b");
  }

  @Test
  void healthSaysWhichModelIsMissing() {
    ollama.models("llama3.2:1b");

    Health health = client.health();

    assertThat(health.reachable()).isTrue();
    assertThat(health.modelPresent()).isFalse();
    assertThat(health.up()).isFalse();
    assertThat(health.detail()).contains("llama3.2:1b").contains("ollama pull gemma2:2b");
  }

  @Test
  void healthAcceptsTheLatestTagForAnUntaggedModel() {
    ollama.models("gemma2:latest");
    client.close();
    client = new OllamaClient(settings("gemma2"));

    assertThat(client.health().up()).isTrue();
  }

  @Test
  void healthIsDownWhenTheServerIs() {
    ollama.stop();

    Health health = client.health();

    assertThat(health.reachable()).isFalse();
    assertThat(health.up()).isFalse();
    assertThat(health.detail()).contains(ollama.url().toString());
  }

  private String chat() {
    return client.chat(QUESTION, piece -> {});
  }

  private void assertTimesOut() {
    long start = System.nanoTime();
    var failure = catchThrowableOfType(OllamaFailure.TooSlow.class, this::chat);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failure).isNotNull();
    assertThat(elapsed).isGreaterThanOrEqualTo(BOUND).isLessThan(BOUND.plus(MARGIN));
    assertThat(failure.toLanguageModelException().failure()).isEqualTo(Failure.TIMED_OUT);
  }
}
