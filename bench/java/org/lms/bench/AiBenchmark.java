package org.lms.bench;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.lms.application.Actor;
import org.lms.application.assistant.AiAssistant.AssistantUnavailableException;
import org.lms.application.port.CourseKnowledge.Passage;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Citation;
import org.lms.domain.model.Course;
import org.lms.domain.model.Material;
import org.lms.domain.model.Question;
import org.lms.domain.model.Role;
import org.lms.testing.KnowledgeCorpus;
import org.lms.testing.KnowledgeCorpus.Document;
import org.lms.testing.LmsCluster;
import org.lms.testing.OllamaStandIn;

/**
 * The AI assistant's own cost on an in-JVM three-node cluster (real Ratis, embedded MongoDB, blob
 * replication), against the Ollama stand-in over real HTTP/NDJSON: students ask {@code
 * AiAssistant.ask} in a closed loop, spread round robin over the nodes, for the corpus's twenty
 * questions on a course holding its six documents. First with a model that answers at once (all
 * of the time is the LMS's), then with a model that streams a piece every 20 ms, to show the reply
 * reaching the caller piece by piece.
 *
 * <p>Each ask is split into phases by the callbacks {@code ask} offers and by the time the
 * stand-in received the chat request: question committed (Raft), retrieval and prompt up to the
 * request reaching the model, the model's stream up to its last piece, and the answer committed.
 *
 * <p>Run with {@code bench/run ai [seconds-per-level]}; writes {@code bench/results/ai.json} and
 * {@code bench/results/ai.md}.
 */
public final class AiBenchmark {
  private static final int[] STUDENTS = {1, 2, 4};
  private static final Duration STREAM_PIECE_DELAY = Duration.ofMillis(20);
  private static final long WARM_UP_SECONDS = 15;
  private static final long IDLE_SECONDS = 10;

  /** What the model says: about 60 words, one citation, like a short real answer. */
  private static final String REPLY =
      "Leaves look green because of chlorophyll, the pigment in their chloroplasts [1]."
          + " Chlorophyll absorbs red and blue light strongly and uses that energy to make sugar"
          + " from carbon dioxide and water, but it absorbs little green light. The green light"
          + " is reflected or passes through the leaf, so that is the colour we see. In autumn"
          + " the chlorophyll breaks down and other pigments show, which is why leaves turn"
          + " yellow and red.";

  private static final int REPLY_PIECES = OllamaStandIn.pieces(REPLY).size();

  /**
   * One measured level.
   *
   * @param run {@code instant} (model answers at once) or {@code streamed} (a piece every 20 ms)
   */
  record Level(
      String run,
      int students,
      long seconds,
      long asks,
      long failures,
      Map<String, Long> failuresByKind,
      long chatCalls,
      double perSecond,
      Phase total,
      Phase questionCommitted,
      Phase toModel,
      Phase firstPiece,
      Phase modelStream,
      Phase answerCommitted,
      Phase lmsOwn,
      double cpuMs,
      double elapsedSeconds) {

    double cpuMsPerAsk() {
      return cpuMs / Math.max(1, asks + failures);
    }

    /** CPU per ask less what the idle cluster would have used in the same time. */
    double cpuMsPerAskWithout(double idleCpuMsPerSecond) {
      return (cpuMs - idleCpuMsPerSecond * elapsedSeconds) / Math.max(1, asks + failures);
    }
  }

  /** Percentiles of one phase of an ask, in milliseconds. */
  record Phase(double p50, double p95, double p99, double max) {
    static Phase of(Latencies l) {
      return new Phase(
          l.percentileMillis(50),
          l.percentileMillis(95),
          l.percentileMillis(99),
          l.percentileMillis(100));
    }
  }

  /** The phases of one client's asks; one per client, so no locking. */
  private static final class Phases {
    final Latencies total = new Latencies();
    final Latencies questionCommitted = new Latencies();
    final Latencies toModel = new Latencies();
    final Latencies firstPiece = new Latencies();
    final Latencies modelStream = new Latencies();
    final Latencies answerCommitted = new Latencies();
    final Latencies lmsOwn = new Latencies();

    void addAll(Phases o) {
      total.addAll(o.total);
      questionCommitted.addAll(o.questionCommitted);
      toModel.addAll(o.toModel);
      firstPiece.addAll(o.firstPiece);
      modelStream.addAll(o.modelStream);
      answerCommitted.addAll(o.answerCommitted);
      lmsOwn.addAll(o.lmsOwn);
    }
  }

  public static void main(String[] args) throws Exception {
    // the stand-in turns Nagle's algorithm off, as Ollama does: without it the first piece waited
    // about 40 ms for a delayed ACK (first piece p50 52 ms instead of 18 ms)
    String loadBefore = CpuMeter.loadAverage();
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 15;
    Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
    int maxStudents = STUDENTS[STUDENTS.length - 1];
    List<String> questions =
        KnowledgeCorpus.questions().stream().map(KnowledgeCorpus.Question::text).toList();
    List<Level> levels = new ArrayList<>();
    long started = System.nanoTime();
    double setUpSeconds;
    long answersStored;
    long citationsStored;
    double idleCpu;
    try (LmsCluster cluster = LmsCluster.start()) {
      Actor admin = cluster.admin();
      Actor teacher = cluster.newUser("teacher", Role.INSTRUCTOR);
      Course course =
          cluster
              .app(0)
              .courses()
              .createCourse(admin, "SCI7", "Science, year 7", List.of(teacher.userId()));
      List<Actor> students = new ArrayList<>();
      for (int i = 0; i < maxStudents; i++) {
        Actor s = cluster.newUser("student" + i, Role.STUDENT);
        cluster.app(0).courses().enrol(teacher, course.id(), s.userId());
        students.add(s);
      }
      List<Material> materials = new ArrayList<>();
      for (Document d : KnowledgeCorpus.documents()) {
        materials.add(
            cluster
                .app(0)
                .courses()
                .addMaterial(
                    teacher,
                    course.id(),
                    d.title(),
                    d.fileName(),
                    d.mediaType(),
                    new ByteArrayInputStream(d.bytes())));
      }
      awaitIndexed(cluster, course.id(), materials);
      cluster.sync();
      setUpSeconds = (System.nanoTime() - started) / 1e9;

      var asker = new Asker(cluster, course.id(), students, questions);
      asker.run("warm-up", 2, Duration.ZERO, WARM_UP_SECONDS); // JIT, connections, Mongo caches
      for (int n : STUDENTS) {
        levels.add(asker.run("instant", n, Duration.ZERO, seconds));
        System.out.println(levels.get(levels.size() - 1));
      }
      for (int n : STUDENTS) {
        levels.add(asker.run("streamed", n, STREAM_PIECE_DELAY, seconds));
        System.out.println(levels.get(levels.size() - 1));
      }
      // the same first level again, with every answer of the run in the store
      levels.add(asker.run("instant-again", 1, Duration.ZERO, seconds));
      System.out.println(levels.get(levels.size() - 1));
      asker.measureIdleCpu();
      idleCpu = asker.idleCpuMsPerSecond();
      answersStored = cluster.raft().store(0).count(Answer.class);
      citationsStored = cluster.raft().store(0).count(Citation.class);
    }
    write(
        out,
        seconds,
        levels,
        setUpSeconds,
        (System.nanoTime() - started) / 1e9,
        answersStored,
        citationsStored,
        idleCpu,
        loadBefore,
        CpuMeter.loadAverage());
  }

  /** Waits until every node's index finds every material by its title. */
  private static void awaitIndexed(LmsCluster cluster, String courseId, List<Material> materials)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int node = 0; node < 3; node++) {
      for (Material m : materials) {
        while (cluster.knowledge(node).search(courseId, m.title(), 20).stream()
            .map(Passage::materialId)
            .noneMatch(m.id()::equals)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(m.fileName() + " not indexed on node " + node);
          }
          Thread.sleep(50);
        }
      }
    }
  }

  /**
   * Runs the closed loops. The stand-in learns which client a chat request belongs to from the
   * question in its prompt: at any moment the clients ask different questions (client c of n asks
   * question {@code (sequence * n + c) mod 20}, and n divides 20), so the question names the client.
   */
  private static final class Asker {
    private final LmsCluster cluster;
    private final String courseId;
    private final List<Actor> students;
    private final List<String> questions;
    private final Map<String, Integer> clientOf = new ConcurrentHashMap<>();
    private final AtomicLongArray arrived;

    /** CPU milliseconds per second the idle cluster uses (heartbeats, timers); set once. */
    private double idleCpuMsPerSecond;

    Asker(LmsCluster cluster, String courseId, List<Actor> students, List<String> questions) {
      this.cluster = cluster;
      this.courseId = courseId;
      this.students = students;
      this.questions = questions;
      this.arrived = new AtomicLongArray(students.size());
    }

    /**
     * The cluster's CPU use with nobody asking: Raft heartbeats and timers of three nodes. A level
     * in which few asks take long (the streamed ones) spreads this over few asks, so the report
     * also gives CPU per ask without it. Measured after the levels, when the JIT is quiet.
     */
    void measureIdleCpu() throws InterruptedException {
      long cpu = CpuMeter.clientCpuNanos();
      long t0 = System.nanoTime();
      Thread.sleep(IDLE_SECONDS * 1000);
      idleCpuMsPerSecond = (CpuMeter.clientCpuNanos() - cpu) / 1e6 / ((System.nanoTime() - t0) / 1e9);
      System.out.printf(Locale.ROOT, "idle cluster: %.1f ms CPU per second%n", idleCpuMsPerSecond);
    }

    double idleCpuMsPerSecond() {
      return idleCpuMsPerSecond;
    }

    Level run(String name, int n, Duration pieceDelay, long seconds) throws InterruptedException {
      if (questions.size() % n != 0) {
        throw new IllegalArgumentException(n + " clients do not divide the questions");
      }
      OllamaStandIn ollama = cluster.ollama();
      ollama.reset(); // drops the recorded requests of the last level
      ollama.pieceDelay(pieceDelay).reply(stamp(REPLY));
      Phases[] phases = new Phases[n];
      for (int c = 0; c < n; c++) {
        phases[c] = new Phases();
      }
      var loop =
          new ClosedLoop(
              "bench-ask",
              n,
              (client, sequence) -> ask(client, n, sequence, phases[client]),
              e ->
                  e instanceof AssistantUnavailableException u
                      ? "AssistantUnavailable/" + u.failure()
                      : e.getClass().getSimpleName());
      long cpu = CpuMeter.clientCpuNanos();
      ClosedLoop.Result r = loop.run(seconds);
      double cpuMs = (CpuMeter.clientCpuNanos() - cpu) / 1e6;
      var all = new Phases();
      for (Phases p : phases) {
        all.addAll(p);
      }
      return new Level(
          name,
          n,
          seconds,
          r.operations(),
          r.failed(),
          r.failures(),
          ollama.chatCalls(),
          r.perSecond(),
          Phase.of(all.total),
          Phase.of(all.questionCommitted),
          Phase.of(all.toModel),
          Phase.of(all.firstPiece),
          Phase.of(all.modelStream),
          Phase.of(all.answerCommitted),
          Phase.of(all.lmsOwn),
          cpuMs,
          r.seconds());
    }

    /** The reply function: notes when the request arrived for its client, then replies. */
    private Function<JsonObject, String> stamp(String reply) {
      return request -> {
        long now = System.nanoTime();
        JsonArray messages = request.getJsonArray("messages");
        String prompt = messages.getJsonObject(messages.size() - 1).getString("content");
        int from = prompt.lastIndexOf("<question>\n");
        int to = prompt.lastIndexOf("\n</question>");
        if (from >= 0 && to > from) {
          Integer client = clientOf.get(prompt.substring(from + "<question>\n".length(), to));
          if (client != null) {
            arrived.set(client, now);
          }
        }
        return reply;
      };
    }

    private void ask(int client, int n, long sequence, Phases phases) {
      String question = questions.get((int) ((sequence * n + client) % questions.size()));
      clientOf.put(question, client);
      arrived.set(client, 0);
      long[] marks = new long[3]; // question committed, first piece, last piece
      long t0 = System.nanoTime();
      cluster
          .app(client % 3)
          .assistant()
          .ask(
              students.get(client),
              courseId,
              question,
              (Question q) -> marks[0] = System.nanoTime(),
              piece -> {
                long now = System.nanoTime();
                if (marks[1] == 0) {
                  marks[1] = now;
                }
                marks[2] = now;
              });
      long t1 = System.nanoTime();
      long atModel = arrived.get(client);
      if (marks[1] == 0 || atModel == 0) {
        throw new IllegalStateException("no piece, or the request was not seen by the stand-in");
      }
      phases.total.add(t1 - t0);
      phases.questionCommitted.add(marks[0] - t0);
      phases.toModel.add(atModel - marks[0]);
      phases.firstPiece.add(marks[1] - t0);
      phases.modelStream.add(marks[2] - atModel);
      phases.answerCommitted.add(t1 - marks[2]);
      phases.lmsOwn.add((t1 - t0) - (marks[2] - atModel));
    }
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String phaseJson(Phase p) {
    return f(
        "{\"p50Ms\": %.2f, \"p95Ms\": %.2f, \"p99Ms\": %.2f, \"maxMs\": %.2f}",
        p.p50(), p.p95(), p.p99(), p.max());
  }

  private static void write(
      Path dir,
      long seconds,
      List<Level> levels,
      double setUpSeconds,
      double totalSeconds,
      long answers,
      long citations,
      double idleCpu,
      String loadBefore,
      String loadAfter)
      throws IOException {
    Files.createDirectories(dir);
    Instant now = Instant.now();
    String command = "bench/run ai " + seconds;
    String machine =
        Runtime.getRuntime().availableProcessors()
            + " cores, "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version");
    var json = new StringBuilder();
    json.append("{\n  \"benchmark\": \"ai-assistant-ask\",\n");
    json.append(f("  \"date\": \"%s\",%n  \"command\": \"%s\",%n", now, command));
    json.append(f("  \"machine\": \"%s\",%n", machine));
    json.append(
        f("  \"loadAverageBefore\": \"%s\",%n  \"loadAverageAfter\": \"%s\",%n", loadBefore, loadAfter));
    json.append(
        f(
            "  \"secondsPerLevel\": %d,%n  \"setUpSeconds\": %.1f,%n  \"totalSeconds\": %.1f,%n"
                + "  \"replyPieces\": %d,%n  \"streamedPieceDelayMs\": %d,%n"
                + "  \"answersStoredAtEnd\": %d,%n  \"citationsStoredAtEnd\": %d,%n"
                + "  \"idleClusterCpuMsPerSecond\": %.1f,%n",
            seconds,
            setUpSeconds,
            totalSeconds,
            REPLY_PIECES,
            STREAM_PIECE_DELAY.toMillis(),
            answers,
            citations,
            idleCpu));
    json.append("  \"levels\": [\n");
    for (int i = 0; i < levels.size(); i++) {
      Level l = levels.get(i);
      var failures = new StringBuilder("{");
      l.failuresByKind()
          .forEach(
              (k, v) ->
                  failures.append(failures.length() > 1 ? ", " : "").append(f("\"%s\": %d", k, v)));
      failures.append('}');
      json.append(
          f(
              "    {\"run\": \"%s\", \"students\": %d, \"asks\": %d, \"failures\": %s,"
                  + " \"chatCalls\": %d, \"asksPerSecond\": %.2f, \"cpuMsPerAsk\": %.1f,"
                  + " \"cpuMsPerAskWithoutIdle\": %.1f,%n"
                  + "     \"total\": %s,%n     \"questionCommitted\": %s,%n"
                  + "     \"retrievalPromptToModel\": %s,%n     \"firstPiece\": %s,%n"
                  + "     \"modelStream\": %s,%n     \"answerCommitted\": %s,%n"
                  + "     \"lmsOwn\": %s}%s%n",
              l.run(),
              l.students(),
              l.asks(),
              failures,
              l.chatCalls(),
              l.perSecond(),
              l.cpuMsPerAsk(),
              l.cpuMsPerAskWithout(idleCpu),
              phaseJson(l.total()),
              phaseJson(l.questionCommitted()),
              phaseJson(l.toModel()),
              phaseJson(l.firstPiece()),
              phaseJson(l.modelStream()),
              phaseJson(l.answerCommitted()),
              phaseJson(l.lmsOwn()),
              i < levels.size() - 1 ? "," : ""));
    }
    json.append("  ]\n}\n");
    Files.writeString(dir.resolve("ai.json"), json);

    var md = new StringBuilder();
    md.append("# AI assistant, in-JVM three-node cluster: `AiAssistant.ask` against the Ollama");
    md.append(" stand-in\n\n");
    md.append(f("`%s` (`bench/README.md`), finished %s.%n%n", command, now));
    md.append(f("- Machine: %s; load average %s before, %s after.%n", machine, loadBefore, loadAfter));
    md.append(
        f(
            "- One course with the corpus's six documents as material (added through"
                + " `CourseService.addMaterial`, indexed on all three nodes); students ask the"
                + " 20 corpus questions in a closed loop, student i on node i %% 3, %d s per"
                + " level after %d s of warm-up. Set-up %.0f s, whole run %.0f s.%n",
            seconds,
            WARM_UP_SECONDS,
            setUpSeconds,
            totalSeconds));
    md.append(
        f(
            "- The stand-in replies with a fixed %d-piece answer citing [1]: `instant` sends"
                + " all pieces at once, `streamed` waits %d ms before each piece after the"
                + " first (a small model's token rate). `instant-again` repeats the first level"
                + " at the end, with %d answers and %d citations in the store. The stand-in's"
                + " HTTP server runs with TCP_NODELAY, as Ollama's does (without it the first"
                + " piece waits about 40 ms for a delayed ACK).%n%n",
            REPLY_PIECES,
            STREAM_PIECE_DELAY.toMillis(),
            answers,
            citations));
    md.append(
        "| run | students | asks/s | total p50 | p95 | p99 | first piece p50 | p95 |"
            + " LMS own p50 | p95 | p99 | CPU ms/ask | without idle | failures |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Level l : levels) {
      md.append(
          f(
              "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |"
                  + " %.1f | %d |%n",
              l.run(),
              l.students(),
              l.perSecond(),
              l.total().p50(),
              l.total().p95(),
              l.total().p99(),
              l.firstPiece().p50(),
              l.firstPiece().p95(),
              l.lmsOwn().p50(),
              l.lmsOwn().p95(),
              l.lmsOwn().p99(),
              l.cpuMsPerAsk(),
              l.cpuMsPerAskWithout(idleCpu),
              l.failures()));
    }
    md.append(
        "\nAll times in ms. LMS own = total minus the model's stream (from the stand-in receiving"
            + " the chat request to the last piece reaching the caller). CPU is the whole JVM's"
            + " (three nodes, their MongoDB, the stand-in) per ask; \"without idle\" subtracts"
            + " what the idle cluster uses in the same time ("
            + f("%.1f", idleCpu)
            + " ms per second, measured for "
            + IDLE_SECONDS
            + " s after the levels: Raft heartbeats and timers).\n\n");
    md.append("## Where an ask's time goes (p50 / p95, ms)\n\n");
    md.append(
        "| run | students | question committed | retrieval + prompt + request |"
            + " model stream | answer committed |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    for (Level l : levels) {
      md.append(
          f(
              "| %s | %d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f |%n",
              l.run(),
              l.students(),
              l.questionCommitted().p50(),
              l.questionCommitted().p95(),
              l.toModel().p50(),
              l.toModel().p95(),
              l.modelStream().p50(),
              l.modelStream().p95(),
              l.answerCommitted().p50(),
              l.answerCommitted().p95()));
    }
    md.append(
        "\n- question committed: `QuestionService.ask` (an `AskQuestion` through Raft, read"
            + " back).\n- retrieval + prompt + request: the course read, `search()` for 4"
            + " passages, the prompt, and the HTTP request until the stand-in has it.\n- model"
            + " stream: the stand-in's reply until its last piece reached the caller.\n- answer"
            + " committed: `AnswerQuestion` through Raft, then the question and the citations"
            + " read back.\n");
    Files.writeString(dir.resolve("ai.md"), md);
  }

  private AiBenchmark() {}
}
