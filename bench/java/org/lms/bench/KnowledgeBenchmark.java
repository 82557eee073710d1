package org.lms.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.lms.application.assistant.AiAssistant;
import org.lms.application.port.CourseKnowledge.Passage;
import org.lms.application.port.DocumentReader.PageText;
import org.lms.infrastructure.knowledge.LuceneCourseKnowledge;
import org.lms.infrastructure.knowledge.PdfAndTextReader;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.lms.testing.CourseMaterials;
import org.lms.testing.KnowledgeCorpus;
import org.lms.testing.KnowledgeCorpus.Document;
import org.lms.testing.KnowledgeCorpus.Question;
import org.lms.testing.MemoryBlobStore;
import org.lms.testing.MongoFixture;

/**
 * Measures one node's course knowledge ({@link LuceneCourseKnowledge} with {@link
 * PdfAndTextReader}) on the shipped corpus: text extraction per document type, a full {@code
 * rebuild()} of N courses that each hold the corpus's six documents (records in the embedded MongoDB
 * store the tests use, bytes in memory), the heap the index takes, {@code search()} latency and
 * throughput at 1, 2 and 4 threads over the twenty questions and all courses, and retrieval
 * quality.
 *
 * <p>Run with {@code bench/run knowledge [courses [seconds-per-level]]}; writes {@code
 * bench/results/knowledge.json} and {@code bench/results/knowledge.md}.
 */
public final class KnowledgeBenchmark {
  private static final int[] THREADS = {1, 2, 4};
  private static final int EXTRACT_WARM_UP = 300;
  private static final int EXTRACT_ROUNDS = 300;
  private static final int REBUILDS = 3;
  private static final long SEARCH_WARM_UP_SECONDS = 15;

  /** Text extraction of one document type, per document and per page. */
  record Extraction(
      String type,
      int documents,
      int pages,
      int chars,
      long reads,
      double meanMsPerDocument,
      double p50MsPerDocument,
      double p99MsPerDocument,
      double msPerPage) {}

  /** Retrieval quality: ranks of the answering passage over {@code questions} searches. */
  record Quality(String index, int questions, int top1, int top3, double mrr10) {}

  /** One search level. */
  record SearchLevel(
      int threads,
      long searches,
      double perSecond,
      double p50,
      double p95,
      double p99,
      double max,
      double storeGetsPerSearch,
      double storeMsPerSearch,
      double cpuMsPerSearch) {}

  record Results(
      int courses,
      int materials,
      long seconds,
      List<Extraction> extraction,
      double publishSeconds,
      List<Double> rebuildSeconds,
      long passages,
      long indexFileBytes,
      long heapBytes,
      List<Quality> quality,
      List<SearchLevel> search,
      String loadBefore,
      String loadAfter) {}

  public static void main(String[] args) throws Exception {
    String loadBefore = CpuMeter.loadAverage();
    int courses = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
    long seconds = args.length > 2 ? Long.parseLong(args[2]) : 10;
    // one line per rebuild is the index's normal log; thousands of them are noise here
    Logger quiet = Logger.getLogger(LuceneCourseKnowledge.class.getName());
    quiet.setLevel(Level.WARNING);

    List<Document> documents = KnowledgeCorpus.documents();
    List<Question> questions = KnowledgeCorpus.questions();
    var reader = new PdfAndTextReader();
    List<Extraction> extraction = extraction(reader, documents);
    extraction.forEach(System.out::println);

    try (var mongo = new MongoFixture()) {
      Quality alone = oneCourseQuality(mongo, reader, questions);
      System.out.println(alone);

      MongoStateStore mongoStore = mongo.newStore();
      var blobs = new MemoryBlobStore();
      long t0 = System.nanoTime();
      var materials = new CourseMaterials(mongoStore, blobs);
      for (int c = 0; c < courses; c++) {
        KnowledgeCorpus.publish(materials, course(c), course(c) + "/");
      }
      double publishSeconds = (System.nanoTime() - t0) / 1e9;
      var store = new TimedStore(mongoStore);

      long heapBefore = usedHeapAfterGc();
      try (var knowledge = new LuceneCourseKnowledge(reader, store, blobs)) {
        List<Double> rebuilds = new ArrayList<>();
        for (int i = 0; i < REBUILDS; i++) {
          long r0 = System.nanoTime();
          knowledge.rebuild();
          rebuilds.add((System.nanoTime() - r0) / 1e9);
          System.out.printf(Locale.ROOT, "rebuild %d: %.2f s%n", i + 1, rebuilds.get(i));
        }
        long heapBytes = usedHeapAfterGc() - heapBefore;
        long passages = passages(knowledge);
        long fileBytes = indexFileBytes(knowledge);

        Quality all = quality(knowledge, questions, courses);
        System.out.println(all);

        search(knowledge, store, questions, courses, 2, SEARCH_WARM_UP_SECONDS); // JIT, Mongo caches
        List<SearchLevel> levels = new ArrayList<>();
        for (int threads : THREADS) {
          levels.add(search(knowledge, store, questions, courses, threads, seconds));
          System.out.println(levels.get(levels.size() - 1));
        }
        write(
            out,
            new Results(
                courses,
                courses * documents.size(),
                seconds,
                extraction,
                publishSeconds,
                rebuilds,
                passages,
                fileBytes,
                heapBytes,
                List.of(alone, all),
                levels,
                loadBefore,
                CpuMeter.loadAverage()));
      }
    }
  }

  private static String course(int c) {
    return "course-" + c;
  }

  /** Each document read {@link #EXTRACT_ROUNDS} times after a warm-up, grouped by type. */
  private static List<Extraction> extraction(PdfAndTextReader reader, List<Document> documents)
      throws IOException {
    List<Extraction> result = new ArrayList<>();
    for (boolean pdf : new boolean[] {true, false}) {
      List<Document> ofType = documents.stream().filter(d -> d.isPdf() == pdf).toList();
      int pages = 0;
      int chars = 0;
      for (Document d : ofType) {
        List<PageText> text = read(reader, d);
        pages += text.size();
        chars += text.stream().mapToInt(p -> p.text().length()).sum();
      }
      var latencies = new Latencies();
      long total = 0;
      for (int round = 0; round < EXTRACT_WARM_UP + EXTRACT_ROUNDS; round++) {
        for (Document d : ofType) {
          long t0 = System.nanoTime();
          read(reader, d);
          long took = System.nanoTime() - t0;
          if (round >= EXTRACT_WARM_UP) {
            latencies.add(took);
            total += took;
          }
        }
      }
      double meanMs = total / 1e6 / latencies.count();
      result.add(
          new Extraction(
              pdf ? "PDF" : "Markdown",
              ofType.size(),
              pages,
              chars,
              latencies.count(),
              meanMs,
              latencies.percentileMillis(50),
              latencies.percentileMillis(99),
              meanMs * ofType.size() / pages));
    }
    return result;
  }

  private static List<PageText> read(PdfAndTextReader reader, Document d) throws IOException {
    return reader.read(d.fileName(), d.mediaType(), new ByteArrayInputStream(d.bytes()));
  }

  /** The quality test's set-up: one course, material id = file name. */
  private static Quality oneCourseQuality(
      MongoFixture mongo, PdfAndTextReader reader, List<Question> questions) throws IOException {
    MongoStateStore store = mongo.newStore();
    var blobs = new MemoryBlobStore();
    KnowledgeCorpus.publish(new CourseMaterials(store, blobs), "science-7", "");
    try (var knowledge = new LuceneCourseKnowledge(reader, store, blobs)) {
      knowledge.rebuild();
      int top1 = 0;
      int top3 = 0;
      double rr = 0;
      for (Question q : questions) {
        int rank = rank(knowledge.search("science-7", q.text(), 10), q, q.file());
        top1 += rank == 1 ? 1 : 0;
        top3 += rank >= 1 && rank <= 3 ? 1 : 0;
        rr += rank >= 1 ? 1.0 / rank : 0;
      }
      return new Quality("1 course", questions.size(), top1, top3, rr / questions.size());
    }
  }

  /** Every question in every course of the big index. */
  private static Quality quality(
      LuceneCourseKnowledge knowledge, List<Question> questions, int courses) {
    int top1 = 0;
    int top3 = 0;
    double rr = 0;
    for (int c = 0; c < courses; c++) {
      for (Question q : questions) {
        int rank = rank(knowledge.search(course(c), q.text(), 10), q, course(c) + "/" + q.file());
        top1 += rank == 1 ? 1 : 0;
        top3 += rank >= 1 && rank <= 3 ? 1 : 0;
        rr += rank >= 1 ? 1.0 / rank : 0;
      }
    }
    int n = courses * questions.size();
    return new Quality(courses + " courses", n, top1, top3, rr / n);
  }

  /** 1-based rank of the answering passage, or -1. */
  private static int rank(List<Passage> found, Question q, String materialId) {
    for (int i = 0; i < found.size(); i++) {
      if (q.answeredBy(found.get(i), materialId)) {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * {@code threads} threads search for {@code seconds}, each going through the questions and
   * courses in its own order, asking for as many passages as the assistant does.
   */
  private static SearchLevel search(
      LuceneCourseKnowledge knowledge,
      TimedStore store,
      List<Question> questions,
      int courses,
      int threads,
      long seconds)
      throws InterruptedException {
    var loop =
        new ClosedLoop(
            "bench-search",
            threads,
            (client, sequence) -> {
              long i = sequence * threads + client;
              String question = questions.get((int) (i % questions.size())).text();
              String course = course((int) (i / questions.size() % courses));
              if (knowledge.search(course, question, AiAssistant.PASSAGES).isEmpty()) {
                throw new IllegalStateException("no passage for '" + question + "'");
              }
            },
            e -> e.getClass().getSimpleName());
    long gets = store.gets();
    long getNanos = store.getNanos();
    long cpu = CpuMeter.clientCpuNanos();
    ClosedLoop.Result r = loop.run(seconds);
    double cpuMs = (CpuMeter.clientCpuNanos() - cpu) / 1e6;
    long n = Math.max(1, r.operations());
    if (r.failed() > 0) {
      System.out.println("failed searches: " + r.failures());
    }
    return new SearchLevel(
        threads,
        r.operations(),
        r.perSecond(),
        r.latencies().percentileMillis(50),
        r.latencies().percentileMillis(95),
        r.latencies().percentileMillis(99),
        r.latencies().percentileMillis(100),
        (double) (store.gets() - gets) / n,
        (store.getNanos() - getNanos) / 1e6 / n,
        cpuMs / n);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * The index keeps its writer and directory to itself; the benchmark looks inside rather than
   * widening its API for a number only a benchmark wants. -1 if that fails.
   */
  private static Object field(LuceneCourseKnowledge knowledge, String name) {
    try {
      Field f = LuceneCourseKnowledge.class.getDeclaredField(name);
      f.setAccessible(true);
      return f.get(knowledge);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static long passages(LuceneCourseKnowledge knowledge) {
    return field(knowledge, "writer") instanceof IndexWriter w ? w.getDocStats().numDocs : -1;
  }

  private static long indexFileBytes(LuceneCourseKnowledge knowledge) throws IOException {
    if (!(field(knowledge, "directory") instanceof Directory d)) {
      return -1;
    }
    long sum = 0;
    for (String file : d.listAll()) {
      sum += d.fileLength(file);
    }
    return sum;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static void write(Path dir, Results r) throws IOException {
    Files.createDirectories(dir);
    Instant now = Instant.now();
    String command = "bench/run knowledge " + r.courses() + " " + r.seconds();
    String machine =
        Runtime.getRuntime().availableProcessors()
            + " cores, "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version")
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1024 * 1024)
            + " MB";
    double bestRebuild = r.rebuildSeconds().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double lastRebuild = r.rebuildSeconds().get(r.rebuildSeconds().size() - 1);

    var json = new StringBuilder();
    json.append("{\n  \"benchmark\": \"course-knowledge\",\n");
    json.append(f("  \"date\": \"%s\",%n  \"command\": \"%s\",%n", now, command));
    json.append(f("  \"machine\": \"%s\",%n", machine));
    json.append(
        f(
            "  \"loadAverageBefore\": \"%s\",%n  \"loadAverageAfter\": \"%s\",%n",
            r.loadBefore(),
            r.loadAfter()));
    json.append(
        f(
            "  \"courses\": %d,%n  \"materials\": %d,%n  \"secondsPerSearchLevel\": %d,%n",
            r.courses(),
            r.materials(),
            r.seconds()));
    json.append("  \"extraction\": [\n");
    for (int i = 0; i < r.extraction().size(); i++) {
      Extraction e = r.extraction().get(i);
      json.append(
          f(
              "    {\"type\": \"%s\", \"documents\": %d, \"pages\": %d, \"chars\": %d,"
                  + " \"reads\": %d, \"meanMsPerDocument\": %.3f, \"p50MsPerDocument\": %.3f,"
                  + " \"p99MsPerDocument\": %.3f, \"msPerPage\": %.3f}%s%n",
              e.type(),
              e.documents(),
              e.pages(),
              e.chars(),
              e.reads(),
              e.meanMsPerDocument(),
              e.p50MsPerDocument(),
              e.p99MsPerDocument(),
              e.msPerPage(),
              i < r.extraction().size() - 1 ? "," : ""));
    }
    json.append("  ],\n");
    json.append(f("  \"publishSeconds\": %.2f,%n", r.publishSeconds()));
    json.append("  \"rebuildSeconds\": [");
    for (int i = 0; i < r.rebuildSeconds().size(); i++) {
      json.append(f("%s%.3f", i == 0 ? "" : ", ", r.rebuildSeconds().get(i)));
    }
    json.append("],\n");
    json.append(f("  \"rebuildMaterialsPerSecondLast\": %.1f,%n", r.materials() / lastRebuild));
    json.append(
        f(
            "  \"passages\": %d,%n  \"indexFileBytes\": %d,%n  \"indexHeapBytes\": %d,%n",
            r.passages(),
            r.indexFileBytes(),
            r.heapBytes()));
    json.append("  \"quality\": [\n");
    for (int i = 0; i < r.quality().size(); i++) {
      Quality q = r.quality().get(i);
      json.append(
          f(
              "    {\"index\": \"%s\", \"questions\": %d, \"top1\": %d, \"top3\": %d,"
                  + " \"mrr10\": %.3f}%s%n",
              q.index(),
              q.questions(),
              q.top1(),
              q.top3(),
              q.mrr10(),
              i < r.quality().size() - 1 ? "," : ""));
    }
    json.append("  ],\n  \"search\": [\n");
    for (int i = 0; i < r.search().size(); i++) {
      SearchLevel s = r.search().get(i);
      json.append(
          f(
              "    {\"threads\": %d, \"searches\": %d, \"perSecond\": %.1f, \"p50Ms\": %.3f,"
                  + " \"p95Ms\": %.3f, \"p99Ms\": %.3f, \"maxMs\": %.3f,"
                  + " \"storeGetsPerSearch\": %.2f, \"storeMsPerSearch\": %.3f,"
                  + " \"jvmCpuMsPerSearch\": %.3f}%s%n",
              s.threads(),
              s.searches(),
              s.perSecond(),
              s.p50(),
              s.p95(),
              s.p99(),
              s.max(),
              s.storeGetsPerSearch(),
              s.storeMsPerSearch(),
              s.cpuMsPerSearch(),
              i < r.search().size() - 1 ? "," : ""));
    }
    json.append("  ]\n}\n");
    Files.writeString(dir.resolve("knowledge.json"), json);

    var md = new StringBuilder();
    md.append("# Course knowledge (Lucene index + PDFBox), one node, in-JVM\n\n");
    md.append(f("`%s` (`bench/README.md`), finished %s.%n%n", command, now));
    md.append(f("- Machine: %s.%n", machine));
    md.append(
        f("- Load average %s before, %s after.%n", r.loadBefore(), r.loadAfter()));
    md.append(
        f(
            "- Corpus: `src/test/resources/knowledge/corpus` (3 PDFs, 3 Markdown notes, 20"
                + " questions), published as %d courses of 6 materials each = %d materials"
                + " (records in the embedded MongoDB, mongo-java-server in memory as in the"
                + " tests; bytes in a memory blob store). Publishing took %.1f s.%n%n",
            r.courses(),
            r.materials(),
            r.publishSeconds()));
    md.append("## Text extraction (`PdfAndTextReader.read`, bytes in memory)\n\n");
    md.append("| type | documents | pages | chars | ms/document mean | p50 | p99 | ms/page |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Extraction e : r.extraction()) {
      md.append(
          f(
              "| %s | %d | %d | %d | %.3f | %.3f | %.3f | %.3f |%n",
              e.type(),
              e.documents(),
              e.pages(),
              e.chars(),
              e.meanMsPerDocument(),
              e.p50MsPerDocument(),
              e.p99MsPerDocument(),
              e.msPerPage()));
    }
    md.append(
        f(
            "%nEach document read %d times after %d warm-up reads. Markdown has no pages: one"
                + " document counts as one page.%n%n",
            EXTRACT_ROUNDS,
            EXTRACT_WARM_UP));
    md.append("## Full rebuild\n\n");
    md.append(
        f(
            "`rebuild()` of %d materials, %d times in a row (the first one with a cold JIT):"
                + " %s s; last %.0f materials/s, best %.0f materials/s. %d passages.%n%n",
            r.materials(),
            REBUILDS,
            String.join(
                ", ", r.rebuildSeconds().stream().map(s -> f("%.2f", s)).toList()),
            r.materials() / lastRebuild,
            r.materials() / bestRebuild,
            r.passages()));
    md.append(
        f(
            "Index size: %.2f MB of Lucene files in the in-memory directory; heap used after"
                + " a full GC grew by %.2f MB from before the first rebuild (%.1f KB per"
                + " material; includes the writer's and searcher's structures).%n%n",
            r.indexFileBytes() / 1048576.0,
            r.heapBytes() / 1048576.0,
            r.heapBytes() / 1024.0 / r.materials()));
    md.append("## Retrieval quality (answering passage's rank among the top 10)\n\n");
    md.append("| index | searches | top-1 | top-3 | MRR@10 |\n|---|---:|---:|---:|---:|\n");
    for (Quality q : r.quality()) {
      md.append(
          f(
              "| %s | %d | %d (%.0f %%) | %d (%.0f %%) | %.2f |%n",
              q.index(),
              q.questions(),
              q.top1(),
              100.0 * q.top1() / q.questions(),
              q.top3(),
              100.0 * q.top3() / q.questions(),
              q.mrr10()));
    }
    md.append("\n## `search()` latency\n\n");
    md.append(
        f(
            "Closed loop, %d s per level after %d s of warm-up at 2 threads; the 20 questions over all %d"
                + " courses, %d passages per search (as the assistant asks). Every hit's"
                + " material is checked against the store (`StateStore.get`, one per distinct"
                + " material among the hits); \"store\" is the time in those calls. CPU is the"
                + " whole JVM's (the embedded MongoDB server included) per search.%n%n",
            r.seconds(),
            SEARCH_WARM_UP_SECONDS,
            r.courses(),
            AiAssistant.PASSAGES));
    md.append(
        "| threads | searches/s | p50 ms | p95 ms | p99 ms | max ms | store gets/search |"
            + " store ms/search | CPU ms/search |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (SearchLevel s : r.search()) {
      md.append(
          f(
              "| %d | %.0f | %.3f | %.3f | %.3f | %.3f | %.2f | %.3f | %.3f |%n",
              s.threads(),
              s.perSecond(),
              s.p50(),
              s.p95(),
              s.p99(),
              s.max(),
              s.storeGetsPerSearch(),
              s.storeMsPerSearch(),
              s.cpuMsPerSearch()));
    }
    Files.writeString(dir.resolve("knowledge.md"), md);
  }

  private KnowledgeBenchmark() {}
}
