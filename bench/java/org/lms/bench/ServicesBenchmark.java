package org.lms.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lms.application.Actor;
import org.lms.application.assignment.AssignmentService.Draft;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Role;
import org.lms.domain.model.Submission;
import org.lms.testing.LmsCluster;

/**
 * Drives the application services of an in-JVM three-node cluster (real Ratis, real stores, real
 * blob replication) with 1, 8 and 32 concurrent writers. Each writer grades its own submission
 * again and again through {@code GradingService.grade} with the version it last saw (a
 * compare-and-set write, the LMS's most frequent kind), on the node it is pinned to; writers are
 * spread round robin over the three nodes, so two thirds of the writes are forwarded to the leader.
 *
 * <p>Run with {@code bench/run services [seconds-per-level]}; writes {@code
 * bench/results/services.json} and {@code bench/results/services.md}.
 */
public final class ServicesBenchmark {
  private static final int[] WRITERS = {1, 8, 32};

  private record Level(
      int writers,
      long seconds,
      long operations,
      long failures,
      double perSecond,
      double p50,
      double p99,
      double max) {}

  public static void main(String[] args) throws Exception {
    String loadBefore = CpuMeter.loadAverage();
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 20;
    Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
    List<Level> levels = new ArrayList<>();
    try (LmsCluster cluster = LmsCluster.start()) {
      Actor admin = cluster.admin();
      Actor carol = cluster.newUser("carol", Role.INSTRUCTOR);
      Course course =
          cluster.app(0).courses().createCourse(admin, "BENCH", "Benchmark", List.of(carol.userId()));
      Instant now = Instant.now();
      Assignment assignment =
          cluster
              .app(0)
              .assignments()
              .create(
                  carol,
                  course.id(),
                  new Draft(
                      "Bench",
                      "",
                      now.minusSeconds(60),
                      now.plus(Duration.ofDays(30)),
                      now.plus(Duration.ofDays(31)),
                      100));
      int maxWriters = WRITERS[WRITERS.length - 1];
      List<String> submissions = new ArrayList<>();
      for (int i = 0; i < maxWriters; i++) {
        Actor student = cluster.newUser("student" + i, Role.STUDENT);
        cluster.app(0).courses().enrol(carol, course.id(), student.userId());
        Submission s =
            cluster
                .app(0)
                .assignments()
                .submit(
                    student,
                    assignment.id(),
                    "work.txt",
                    "text/plain",
                    new ByteArrayInputStream(("work " + i).getBytes(StandardCharsets.UTF_8)));
        submissions.add(s.id());
      }
      long[] versions = new long[maxWriters];
      // warm-up: JIT, connections, Mongo caches
      run(cluster, carol, submissions, versions, 8, 5);
      for (int writers : WRITERS) {
        levels.add(run(cluster, carol, submissions, versions, writers, seconds));
        System.out.println(levels.get(levels.size() - 1));
      }
    }
    write(out, seconds, levels, loadBefore, CpuMeter.loadAverage());
  }

  private static Level run(
      LmsCluster cluster,
      Actor grader,
      List<String> submissions,
      long[] versions,
      int writers,
      long seconds)
      throws InterruptedException {
    ClosedLoop.Result result =
        new ClosedLoop(
                "bench-writer",
                writers,
                (writer, sequence) ->
                    versions[writer] =
                        cluster
                            .app(writer % 3)
                            .grading()
                            .grade(
                                grader,
                                submissions.get(writer),
                                (sequence - 1) % 100,
                                "feedback " + sequence,
                                versions[writer])
                            .version(),
                e -> e.getClass().getSimpleName())
            .run(seconds);
    return new Level(
        writers,
        seconds,
        result.operations(),
        result.failed(),
        result.perSecond(),
        result.latencies().percentileMillis(50),
        result.latencies().percentileMillis(99),
        result.latencies().percentileMillis(100));
  }

  private static void write(
      Path dir, long seconds, List<Level> levels, String loadBefore, String loadAfter)
      throws IOException {
    Files.createDirectories(dir);
    var json = new StringBuilder();
    json.append("{\n  \"benchmark\": \"services-grade-writes\",\n");
    json.append("  \"date\": \"").append(Instant.now()).append("\",\n");
    json.append("  \"machine\": \"")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append("\",\n");
    json.append("  \"loadAverageBefore\": \"").append(loadBefore).append("\",\n");
    json.append("  \"loadAverageAfter\": \"").append(loadAfter).append("\",\n");
    json.append("  \"secondsPerLevel\": ").append(seconds).append(",\n  \"levels\": [\n");
    for (int i = 0; i < levels.size(); i++) {
      Level l = levels.get(i);
      json.append(
          String.format(
              Locale.ROOT,
              "    {\"writers\": %d, \"operations\": %d, \"failures\": %d, \"perSecond\": %.1f,"
                  + " \"p50Ms\": %.2f, \"p99Ms\": %.2f, \"maxMs\": %.2f}%s%n",
              l.writers(),
              l.operations(),
              l.failures(),
              l.perSecond(),
              l.p50(),
              l.p99(),
              l.max(),
              i < levels.size() - 1 ? "," : ""));
    }
    json.append("  ]\n}\n");
    Files.writeString(dir.resolve("services.json"), json);

    var md = new StringBuilder();
    md.append("# Application services, in-JVM three-node cluster: grade writes\n\n");
    md.append("`bench/run services ").append(seconds).append("` on ").append(Instant.now());
    md.append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores; load average ");
    md.append(loadBefore).append(" before, ").append(loadAfter).append(" after).\n");
    md.append("Each writer grades its own submission with compare-and-set, pinned to one node;");
    md.append(" writers spread round robin over the three nodes.\n\n");
    md.append("| writers | commands/s | p50 ms | p99 ms | max ms | failures |\n");
    md.append("|---:|---:|---:|---:|---:|---:|\n");
    for (Level l : levels) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %.1f | %.2f | %.2f | %.2f | %d |%n",
              l.writers(),
              l.perSecond(),
              l.p50(),
              l.p99(),
              l.max(),
              l.failures()));
    }
    Files.writeString(dir.resolve("services.md"), md);
  }

  private ServicesBenchmark() {}
}
