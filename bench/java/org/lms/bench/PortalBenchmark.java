package org.lms.bench;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.NodeStatus;

/**
 * The portal's main pages under {@value #USERS} concurrent signed-in users, against three real
 * Payara Micro nodes ({@code ./lms start} through {@link ClusterProcesses}). The data set is made
 * through the gRPC API ({@link PortalFixture}); every user has an account of its own, signs in
 * through the real login form and keeps its own cookies ({@link PortalUser}), and is pinned to one
 * node (user {@code i} to node {@code 1 + i % 3}). In a closed loop ({@link ClosedLoop}), each user
 * GETs its role's pages in turn:
 *
 * <ul>
 *   <li>students: {@code /home.xhtml}, {@code /course.xhtml?id=}, {@code /assignment.xhtml?id=} of
 *       the graded assignment (their versions and released grade);
 *   <li>instructors: the same three (the course with its roster, the assignment with every
 *       student's submission and grade), then {@code /grade.xhtml?submission=} of one submission
 *       after another.
 * </ul>
 *
 * <p>A page counts only when it answers 200 with the page's own content and not the sign-in form;
 * anything else is counted as an error. A warm-up of the same loop comes first and is not counted.
 * After the measured run every page is viewed alone, one request at a time, for its service time
 * without queueing. The login form's POST is measured in two rounds of its own, every user signing
 * in once, one sign-in per node at a time: before the warm-up (cold nodes; these sessions are the
 * ones the pages are then viewed with) and after the measured run.
 *
 * <p>Run with {@code bench/run portal [seconds [think-ms]]}; writes {@code
 * bench/results/portal.json} and {@code bench/results/portal.md}. A benchmark, not a test: nothing
 * here asserts a timing.
 */
public final class PortalBenchmark {
  static final int USERS = 50;
  static final int INSTRUCTORS = 5;
  static final int STUDENTS = USERS - INSTRUCTORS;

  /** How often each page is viewed alone, after the measured run. */
  static final int ALONE_VIEWS = 15;

  /** Issue 5's target for the main pages' p95 under {@value #USERS} users. */
  static final double TARGET_P95_MS = 200;

  /** What a student and an instructor view, in the order they view it. */
  static final List<View> STUDENT_PAGES =
      List.of(View.STUDENT_HOME, View.STUDENT_COURSE, View.STUDENT_ASSIGNMENT);

  static final List<View> INSTRUCTOR_PAGES =
      List.of(
          View.INSTRUCTOR_HOME,
          View.INSTRUCTOR_COURSE,
          View.INSTRUCTOR_ASSIGNMENT,
          View.INSTRUCTOR_GRADE);

  /** One page as one role sees it, and what its body must contain. */
  enum View {
    STUDENT_HOME("home", "student", "id=\"greeting\"", "id=\"grades\""),
    STUDENT_COURSE("course", "student", "id=\"materials\"", "id=\"assignments\""),
    STUDENT_ASSIGNMENT("assignment", "student", "id=\"versionTable\"", "id=\"my-points\""),
    INSTRUCTOR_HOME("home", "instructor", "id=\"greeting\"", "id=\"courses\""),
    INSTRUCTOR_COURSE("course", "instructor", "id=\"materials\"", "id=\"roster\""),
    INSTRUCTOR_ASSIGNMENT("assignment", "instructor", "id=\"subs:submissions\""),
    INSTRUCTOR_GRADE("grade", "instructor", "id=\"student\"", "id=\"grade:points\"");

    final String page;
    final String role;
    final List<String> markers;

    View(String page, String role, String... markers) {
      this.page = page;
      this.role = role;
      this.markers = List.of(markers);
    }

    String label() {
      return page + " (" + role + ")";
    }

    String path(GrpcFixture api, int user, long sequence) {
      return switch (page) {
        case "home" -> "/home.xhtml";
        case "course" -> "/course.xhtml?id=" + api.courseId;
        case "assignment" -> "/assignment.xhtml?id=" + api.assignmentId;
        case "grade" ->
            "/grade.xhtml?submission="
                + api.submissions.get((int) ((7L * user + sequence) % api.submissions.size()));
        default -> throw new IllegalStateException(page);
      };
    }
  }

  /** Percentiles of one set of latencies, in milliseconds. */
  record Stats(String name, long count, double p50, double p95, double p99, double max) {
    static Stats of(String name, Latencies l) {
      return new Stats(
          name,
          l.count(),
          l.percentileMillis(50),
          l.percentileMillis(95),
          l.percentileMillis(99),
          l.percentileMillis(100));
    }
  }

  /** The measured page views. */
  record Run(
      long seconds,
      double elapsedSeconds,
      long thinkMillis,
      List<Stats> views,
      Stats overall,
      List<Stats> nodes,
      Map<String, Long> failures,
      double perSecond,
      CpuMeter.Usage cpu,
      String load,
      int otherNodes,
      String leader) {

    /** How many of the machine's cores the nodes and this JVM used on average. */
    double coresUsed() {
      return (cpu.nodesMs() + cpu.clientMs()) / (elapsedSeconds * 1000);
    }

    long failed() {
      return failures.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** One round of sign-ins through the login form, every user once. */
  record SignInRound(
      String when,
      int concurrency,
      double seconds,
      Stats page,
      Stats post,
      Map<String, Long> failures) {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 40;
    Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
    long thinkMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
    // the nodes' JIT keeps compiling for minutes on 2 shared cores: warm up as long as we measure
    long warmSeconds = Math.max(10, seconds);
    String loadBefore = CpuMeter.loadAverage();
    long started = System.nanoTime();
    double startSeconds;
    double setupSeconds;
    Run warmUp;
    Run run;
    List<Stats> alone;
    SignInRound coldSignIns;
    SignInRound signIns;
    try (ClusterProcesses cluster = ClusterProcesses.start();
        GrpcFixture api = new GrpcFixture(cluster)) {
      startSeconds = (System.nanoTime() - started) / 1e9;
      long setupStarted = System.nanoTime();
      new PortalFixture(api).create(cluster.adminPassword(), STUDENTS, INSTRUCTORS);
      cluster.awaitApplied(api.lastIndex, Duration.ofSeconds(60)); // the set-up, everywhere
      setupSeconds = (System.nanoTime() - setupStarted) / 1e9;
      System.out.printf("set-up through the gRPC API in %.1f s%n", setupSeconds);

      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      List<PortalUser> users = users(cluster, http);
      coldSignIns = signInAll("before the warm-up", users);
      System.out.println(coldSignIns);
      if (!coldSignIns.failures().isEmpty()) {
        throw new IllegalStateException("users could not sign in: " + coldSignIns.failures());
      }
      warmUp = views(cluster, api, users, warmSeconds, thinkMillis);
      System.out.println("warm-up " + warmUp);
      run = views(cluster, api, users, seconds, thinkMillis);
      System.out.println(run);
      alone = alone(api, users);
      System.out.println(alone);
      signIns = signInAll("after the measured run", users);
      System.out.println(signIns);
    }
    new PortalReport(
            seconds,
            warmSeconds,
            startSeconds,
            setupSeconds,
            (System.nanoTime() - started) / 1e9,
            loadBefore,
            CpuMeter.loadAverage(),
            warmUp,
            run,
            alone,
            coldSignIns,
            signIns)
        .write(out);
  }

  /** Students first, then instructors; user {@code i} on node {@code 1 + i % 3}. */
  private static List<PortalUser> users(ClusterProcesses cluster, HttpClient http) {
    var users = new ArrayList<PortalUser>();
    for (int i = 0; i < USERS; i++) {
      int node = 1 + i % ClusterProcesses.SIZE;
      String base = cluster.baseUrl(node);
      if (i < STUDENTS) {
        users.add(
            new PortalUser(
                GrpcFixture.studentName(i),
                GrpcFixture.studentPassword(i),
                false,
                node,
                base,
                http));
      } else {
        String name = i == STUDENTS ? "carol" : String.format("instructor%02d", i - STUDENTS);
        users.add(
            new PortalUser(name, PortalFixture.instructorPassword(name), true, node, base, http));
      }
    }
    return users;
  }

  /** The closed loop of page views for {@code seconds}; per view and per node latencies. */
  private static Run views(
      ClusterProcesses cluster,
      GrpcFixture api,
      List<PortalUser> users,
      long seconds,
      long thinkMillis)
      throws InterruptedException {
    View[] all = View.values();
    var latencies = new Latencies[users.size()][all.length];
    for (Latencies[] perUser : latencies) {
      for (int v = 0; v < all.length; v++) {
        perUser[v] = new Latencies();
      }
    }
    ClosedLoop.Call call =
        (client, sequence) -> {
          PortalUser user = users.get(client);
          List<View> pages = user.instructor ? INSTRUCTOR_PAGES : STUDENT_PAGES;
          // users start at different pages, so the mix is the same from the first second on
          View view = pages.get((int) ((client + sequence - 1) % pages.size()));
          if (thinkMillis > 0) {
            sleep(thinkMillis);
          }
          long t0 = System.nanoTime();
          user.view(view.label(), view.path(api, client, sequence), view.markers);
          latencies[client][view.ordinal()].add(System.nanoTime() - t0);
        };
    var loop = new ClosedLoop("portal-user", users.size(), call, PortalBenchmark::failureName);
    var cpu = new CpuMeter(cluster).start();
    ClosedLoop.Result result = loop.run(seconds);
    CpuMeter.Usage used = cpu.stop();

    var views = new ArrayList<Stats>();
    var overall = new Latencies();
    for (View view : all) {
      var merged = new Latencies();
      for (Latencies[] perUser : latencies) {
        merged.addAll(perUser[view.ordinal()]);
      }
      overall.addAll(merged);
      views.add(Stats.of(view.label(), merged));
    }
    var nodes = new ArrayList<Stats>();
    for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
      var merged = new Latencies();
      for (int u = 0; u < users.size(); u++) {
        if (users.get(u).node == node) {
          for (Latencies l : latencies[u]) {
            merged.addAll(l);
          }
        }
      }
      nodes.add(Stats.of(ClusterProcesses.nodeId(node), merged));
    }
    return new Run(
        seconds,
        result.seconds(),
        thinkMillis,
        views,
        Stats.of("all pages", overall),
        nodes,
        result.failures(),
        overall.count() / result.seconds(),
        used,
        CpuMeter.loadAverage(),
        cluster.otherLmsNodes(),
        cluster.tryStatus(1).map(NodeStatus::leaderId).orElse("unknown"));
  }

  /**
   * Every view {@value #ALONE_VIEWS} times, one request at a time, by users of its role on each
   * node in turn.
   */
  private static List<Stats> alone(GrpcFixture api, List<PortalUser> users) {
    var result = new ArrayList<Stats>();
    for (View view : View.values()) {
      boolean instructor = view.role.equals("instructor");
      List<Integer> ofRole =
          IntStream.range(0, users.size())
              .filter(u -> users.get(u).instructor == instructor)
              .limit(ClusterProcesses.SIZE)
              .boxed()
              .toList();
      var latencies = new Latencies();
      for (int i = 0; i < ALONE_VIEWS; i++) {
        int u = ofRole.get(i % ofRole.size());
        long t0 = System.nanoTime();
        try {
          users.get(u).view(view.label(), view.path(api, u, i), view.markers);
          latencies.add(System.nanoTime() - t0);
        } catch (PortalUser.Failure e) {
          System.out.println("alone: " + e.getMessage());
        }
      }
      result.add(Stats.of(view.label(), latencies));
    }
    return result;
  }

  /**
   * Every user signs in through the login form once, one sign-in per node at a time (a thread per
   * node takes that node's users in turn).
   */
  private static SignInRound signInAll(String when, List<PortalUser> users) throws Exception {
    int nodes = ClusterProcesses.SIZE;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    var pages = new Latencies[nodes];
    var posts = new Latencies[nodes];
    @SuppressWarnings("unchecked")
    var failures = (Map<String, Long>[]) new Map[nodes];
    long t0 = System.nanoTime();
    try {
      var done = new ArrayList<Future<?>>();
      for (int n = 0; n < nodes; n++) {
        int node = n + 1;
        pages[n] = new Latencies();
        posts[n] = new Latencies();
        failures[n] = new TreeMap<>();
        int slot = n;
        done.add(
            pool.submit(
                () -> {
                  for (PortalUser user : users) {
                    if (user.node != node) {
                      continue;
                    }
                    try {
                      PortalUser.SignIn signIn = user.signIn();
                      pages[slot].add(signIn.pageNanos());
                      posts[slot].add(signIn.postNanos());
                    } catch (PortalUser.Failure e) {
                      failures[slot].merge(e.getMessage(), 1L, Long::sum);
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    var page = new Latencies();
    var post = new Latencies();
    var failed = new TreeMap<String, Long>();
    for (int n = 0; n < nodes; n++) {
      page.addAll(pages[n]);
      post.addAll(posts[n]);
      failures[n].forEach((what, count) -> failed.merge(what, count, Long::sum));
    }
    return new SignInRound(
        when,
        nodes,
        elapsed,
        Stats.of("GET /login.xhtml", page),
        Stats.of("POST /login.xhtml", post),
        failed);
  }

  private static String failureName(RuntimeException e) {
    return e instanceof PortalUser.Failure ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private PortalBenchmark() {}
}
