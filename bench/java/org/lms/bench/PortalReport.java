package org.lms.bench;

import static org.lms.bench.GrpcReport.failuresJson;
import static org.lms.bench.GrpcReport.jsonString;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lms.bench.PortalBenchmark.Run;
import org.lms.bench.PortalBenchmark.SignInRound;
import org.lms.bench.PortalBenchmark.Stats;

/**
 * Writes {@code <name>.json} (machine-readable) and {@code <name>.md} (the summary) of one run, the
 * name from {@link #name()}.
 */
record PortalReport(
    long seconds,
    long warmSeconds,
    double startSeconds,
    double setupSeconds,
    double totalSeconds,
    String loadBefore,
    String loadAfter,
    Run warmUp,
    Run run,
    List<Stats> alone,
    SignInRound coldSignIns,
    SignInRound signIns) {

  /**
   * {@code portal} for the closed loop without think time (the stress figure), {@code
   * portal-think<ms>} with it, so that both kinds of run keep their results side by side.
   */
  String name() {
    return run.thinkMillis() > 0 ? "portal-think" + run.thinkMillis() : "portal";
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Instant now = Instant.now();
    boolean met = run.overall().p95() <= PortalBenchmark.TARGET_P95_MS && run.failed() == 0;

    var json = new StringBuilder();
    json.append("{\n  \"benchmark\": \"portal-pages\",\n");
    json.append("  \"date\": \"").append(now).append("\",\n");
    json.append("  \"command\": ").append(jsonString(command())).append(",\n");
    json.append("  \"machine\": ").append(jsonString(GrpcReport.machine())).append(",\n");
    json.append("  \"loadBefore\": \"").append(loadBefore).append("\",\n");
    json.append("  \"loadAfter\": \"").append(loadAfter).append("\",\n");
    json.append(
        format(
            "  \"users\": %d,%n  \"students\": %d,%n  \"instructors\": %d,%n"
                + "  \"thinkMs\": %d,%n  \"seconds\": %d,%n  \"warmUpSeconds\": %d,%n"
                + "  \"clusterStartSeconds\": %.1f,%n  \"setUpSeconds\": %.1f,%n"
                + "  \"totalSeconds\": %.1f,%n  \"targetP95Ms\": %.0f,%n  \"targetMet\": %b,%n",
            PortalBenchmark.USERS,
            PortalBenchmark.STUDENTS,
            PortalBenchmark.INSTRUCTORS,
            run.thinkMillis(),
            seconds,
            warmSeconds,
            startSeconds,
            setupSeconds,
            totalSeconds,
            PortalBenchmark.TARGET_P95_MS,
            met));
    json.append("  \"pages\": ").append(runJson(run)).append(",\n");
    json.append("  \"warmUp\": ").append(runJson(warmUp)).append(",\n");
    json.append("  \"alone\": [");
    for (int i = 0; i < alone.size(); i++) {
      json.append(i == 0 ? "\n    " : ",\n    ").append(statsJson(alone.get(i)));
    }
    json.append("\n  ],\n");
    json.append("  \"signIn\": [\n    ")
        .append(signInJson(coldSignIns))
        .append(",\n    ")
        .append(signInJson(signIns))
        .append("\n  ]\n}\n");
    Files.writeString(dir.resolve(name() + ".json"), json);

    var md = new StringBuilder();
    md.append("# Portal pages, three Payara Micro nodes: ")
        .append(PortalBenchmark.USERS)
        .append(" signed-in users\n\n");
    md.append("`").append(command()).append("` (`bench/README.md`), finished ").append(now);
    md.append(".\n\n");
    md.append(
        format(
            "**All pages: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; %.1f pages/s;"
                + " %d errors.** Target of issue 5 (p95 at most %.0f ms, no errors): %s.%n%n",
            run.overall().p50(),
            run.overall().p95(),
            run.overall().p99(),
            run.overall().max(),
            run.perSecond(),
            run.failed(),
            PortalBenchmark.TARGET_P95_MS,
            met ? "met" : "**not met**"));
    md.append(
        "| page (role) | views | p50 ms | p95 ms | p99 ms | max ms | alone: p50 ms |"
            + " alone: p95 ms |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < run.views().size(); i++) {
      Stats a = alone.get(i);
      md.append(
          statsRow(
              run.views().get(i).name(),
              run.views().get(i),
              format(" %.0f | %.0f ", a.p50(), a.p95())));
    }
    md.append(statsRow("**all pages**", run.overall(), " | "));
    md.append("\nBy node (the users pinned to it; ")
        .append(run.leader())
        .append(" the leader at the end): ");
    for (int i = 0; i < run.nodes().size(); i++) {
      Stats s = run.nodes().get(i);
      md.append(i == 0 ? "" : "; ")
          .append(
              format(
                  "%s %d views, p50 %.0f ms, p95 %.0f ms", s.name(), s.count(), s.p50(), s.p95()));
    }
    md.append(".\n\n");
    md.append(
        format(
            "- \"Alone\": after the measured run, each page viewed %d times, one request at a"
                + " time (users of its role on the three nodes in turn): the page's service time"
                + " without queueing behind the other users (the machine's other load still"
                + " counts).%n",
            PortalBenchmark.ALONE_VIEWS));
    md.append(
        format(
            "- Errors: %s. A page view is an error when the node does not answer 200, when the"
                + " body shows the sign-in form or lacks the header's \"signed in as\", or when it"
                + " lacks the page's own content (e.g. the student's released points, the"
                + " instructor's roster and submissions table); errors are not in the"
                + " percentiles.%n",
            run.failures().isEmpty() ? "none" : run.failures().toString()));
    md.append(
        format(
            "- Users: %d (%d students, %d instructors of the course), each an account of its own"
                + " signed in through the login form, with its own `LMS_SESSION` and container"
                + " session cookies; user i pinned to node 1 + i %% 3. Closed loop, think time"
                + " %d ms: a user asks for its next page that long after the last one arrived (a"
                + " latency is from sending the request to the last byte of the page). Students"
                + " cycle home, course, assignment; instructors home, course, assignment, grade"
                + " (another submission each time). One `java.net.http.HttpClient` (HTTP/1.1,"
                + " its connection pool shared by the users of a node, no redirects followed).%n",
            PortalBenchmark.USERS,
            PortalBenchmark.STUDENTS,
            PortalBenchmark.INSTRUCTORS,
            run.thinkMillis()));
    md.append(
        format(
            "- Data, made through the gRPC API: one course with %d instructors and %d students,"
                + " %d material files, two assignments (one with every student's submission"
                + " graded and released, one due later), %d questions (half answered).%n",
            PortalBenchmark.INSTRUCTORS,
            PortalBenchmark.STUDENTS,
            PortalFixture.MATERIALS,
            PortalFixture.QUESTIONS));
    md.append(
        format(
            "- Cluster start %.0f s, set-up %.0f s, warm-up %d s of the same loop (not counted:"
                + " p95 %.0f ms, %.1f pages/s), measured %.1f s, %.0f s in all.%n",
            startSeconds,
            setupSeconds,
            warmSeconds,
            warmUp.overall().p95(),
            warmUp.perSecond(),
            run.elapsedSeconds(),
            totalSeconds));
    md.append(
        format(
            "- CPU per page view (measured run): %.1f ms of the three node JVMs together, %.1f ms"
                + " of the client JVM; the machine's cores were %.0f%% busy, the nodes and the"
                + " client used %.2f of its %d cores (the rest: other work on the machine). LMS"
                + " nodes of other clusters (other engineers' runs) at the end: %d.%n",
            run.cpu().nodesMs() / Math.max(1, run.overall().count()),
            run.cpu().clientMs() / Math.max(1, run.overall().count()),
            run.cpu().machineBusyPercent(),
            run.coresUsed(),
            Runtime.getRuntime().availableProcessors(),
            run.otherNodes()));
    md.append("- Machine: ").append(GrpcReport.machine()).append(".\n");
    md.append("- Load average (1/5/15 min): ")
        .append(loadBefore)
        .append(" before the cluster started, ")
        .append(run.load())
        .append(" at the end of the measured run, ")
        .append(loadAfter)
        .append(" at the end.\n\n");
    md.append(
        "**Sign-in form**: every user signs in once per round through `/login.xhtml` (GET the"
            + " page, POST the form; the POST checks the password, PBKDF2 with 600,000"
            + " iterations, and opens the replicated session), one sign-in per node at a time;"
            + " the page views above use the sessions of the first round.\n\n");
    md.append(
        "| round | sign-ins | GET p50 / p95 ms | POST p50 / p95 / max ms | failed | seconds |\n");
    md.append("|---|---:|---:|---:|---|---:|\n");
    md.append(signInRow(coldSignIns));
    md.append(signInRow(signIns));
    md.append("\nWhat the numbers mean: `bench/README.md`, section \"Portal benchmark\".\n");
    Files.writeString(dir.resolve(name() + ".md"), md);
  }

  private String command() {
    return "bench/run portal " + seconds + (run.thinkMillis() > 0 ? " " + run.thinkMillis() : "");
  }

  private static String runJson(Run r) {
    var s = new StringBuilder("{\n");
    s.append(
        format(
            "    \"seconds\": %.1f, \"perSecond\": %.1f, \"failures\": %s,%n"
                + "    \"nodesCpuMsPerView\": %.2f, \"clientCpuMsPerView\": %.2f,"
                + " \"machineBusyPercent\": %.0f, \"coresUsed\": %.2f, \"load\": \"%s\","
                + " \"otherLmsNodes\": %d, \"leader\": \"%s\",%n",
            r.elapsedSeconds(),
            r.perSecond(),
            failuresJson(r.failures()),
            r.cpu().nodesMs() / Math.max(1, r.overall().count()),
            r.cpu().clientMs() / Math.max(1, r.overall().count()),
            r.cpu().machineBusyPercent(),
            r.coresUsed(),
            r.load(),
            r.otherNodes(),
            r.leader()));
    s.append("    \"overall\": ").append(statsJson(r.overall())).append(",\n");
    s.append("    \"views\": ").append(statsJson(r.views())).append(",\n");
    s.append("    \"nodes\": ").append(statsJson(r.nodes())).append("\n  }");
    return s.toString();
  }

  private static String signInJson(SignInRound r) {
    return format(
        "{\"round\": %s, \"concurrency\": %d, \"seconds\": %.1f, \"page\": %s, \"post\": %s,"
            + " \"failures\": %s}",
        jsonString(r.when()),
        r.concurrency(),
        r.seconds(),
        statsJson(r.page()),
        statsJson(r.post()),
        failuresJson(r.failures()));
  }

  private static String statsJson(List<Stats> list) {
    var s = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      s.append(i == 0 ? "\n      " : ",\n      ").append(statsJson(list.get(i)));
    }
    return s.append("\n    ]").toString();
  }

  private static String statsJson(Stats s) {
    return format(
        "{\"name\": %s, \"count\": %d, \"p50Ms\": %.2f, \"p95Ms\": %.2f, \"p99Ms\": %.2f,"
            + " \"maxMs\": %.2f}",
        jsonString(s.name()), s.count(), s.p50(), s.p95(), s.p99(), s.max());
  }

  /** A table row of {@code s} under {@code name}, then {@code more} (further cells). */
  private static String statsRow(String name, Stats s, String more) {
    return format(
        "| %s | %d | %.0f | %.0f | %.0f | %.0f |%s|%n",
        name, s.count(), s.p50(), s.p95(), s.p99(), s.max(), more);
  }

  private static String signInRow(SignInRound r) {
    Map<String, Long> failed = r.failures();
    return format(
        "| %s | %d | %.0f / %.0f | %.0f / %.0f / %.0f | %s | %.1f |%n",
        r.when(),
        r.post().count(),
        r.page().p50(),
        r.page().p95(),
        r.post().p50(),
        r.post().p95(),
        r.post().max(),
        failed.isEmpty() ? "0" : failed.toString(),
        r.seconds());
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
