package org.lms.testing.chaos;

import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status.Code;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.Consistency;
import org.lms.interfaces.grpc.v1.GetAssignmentRequest;
import org.lms.interfaces.grpc.v1.GetGradeRequest;
import org.lms.interfaces.grpc.v1.GradeSubmissionRequest;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.ListAssignmentsRequest;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.testing.ClusterChannels;
import org.lms.testing.chaos.Operation.Kind;
import org.lms.testing.chaos.Operation.Status;

/**
 * The clients of a fault-injection run: threads that read and write registers of a real cluster
 * over the public gRPC API ({@code lms.v1}) and record every operation, timed around the blocking
 * call, in a {@link History} for the {@link LinearizabilityChecker}. The registers are assignment
 * titles ({@code assignment/<id>/title}, written with UpdateAssignment) and grade feedback ({@code
 * grade/<submissionId>/feedback}, written with GradeSubmission); every write writes a value no
 * other write writes ({@code <client>-<sequence>}). See docs/chaos.md.
 *
 * <p>The fault-injection suite sends every operation once. The rolling-restart test ({@code
 * ClusterOperationsIT}) asks for more of what a real client does: a {@link Retry} policy, and
 * creations of assignments besides the registers, whose acknowledged titles must all be on every
 * node afterwards ({@link #auditCreations}); {@link #retryStats()} counts how the operations ended.
 */
public final class Workload implements AutoCloseable {

  /**
   * How the workload runs.
   *
   * @param clients client threads, each with at most one operation in flight
   * @param pinnedClients how many of them (the first ones) talk to one node each, round robin over
   *     the nodes; the others pick a node per operation
   * @param assignmentKeys registers that are assignment titles
   * @param gradeKeys registers that are grade feedback (one submission each)
   * @param deadline the deadline of every operation
   * @param linearizableReads reads ask for {@code CONSISTENCY_LINEARIZABLE}; false sends the
   *     default (this node's copy, no read barrier), which may be stale: the deliberate defect a
   *     run must catch
   * @param writeRatio the probability that an operation is a write
   * @param thinkTime the mean pause between two operations of a client
   * @param seed decides every client's choices of key, kind and node
   * @param retry what a client does when an operation's outcome is unknown ({@link Retry#NONE}:
   *     nothing, it goes on with the next operation, as the fault-injection suite wants)
   * @param createRatio the probability that an operation creates an assignment with a title no
   *     other creation uses ({@link #auditCreations}: every acknowledged one must be on every
   *     node); the others are register operations as {@code writeRatio} says
   */
  public record Settings(
      int clients,
      int pinnedClients,
      int assignmentKeys,
      int gradeKeys,
      Duration deadline,
      boolean linearizableReads,
      double writeRatio,
      Duration thinkTime,
      long seed,
      Retry retry,
      double createRatio) {

    public Settings {
      if (clients < 1 || pinnedClients < 0 || pinnedClients > clients) {
        throw new IllegalArgumentException(
            "need 1 or more clients, 0 to all of them pinned: " + clients + ", " + pinnedClients);
      }
      if (assignmentKeys < 0 || gradeKeys < 0 || assignmentKeys + gradeKeys < 1) {
        throw new IllegalArgumentException("need at least one register");
      }
      if (deadline.isNegative() || deadline.isZero() || thinkTime.isNegative()) {
        throw new IllegalArgumentException("deadline must be positive, think time not negative");
      }
      if (!(writeRatio >= 0 && writeRatio <= 1)) {
        throw new IllegalArgumentException("writeRatio must be within 0..1: " + writeRatio);
      }
      Objects.requireNonNull(retry, "retry");
      if (!(createRatio >= 0 && createRatio <= 1)) {
        throw new IllegalArgumentException("createRatio must be within 0..1: " + createRatio);
      }
    }

    /**
     * 10 clients (4 pinned), 12 + 12 registers, 1.5 s deadlines, linearizable reads, half writes,
     * no retries, no creations.
     */
    public static Settings defaults(long seed) {
      return new Settings(
          10,
          4,
          12,
          12,
          Duration.ofMillis(1500),
          true,
          0.5,
          Duration.ofMillis(20),
          seed,
          Retry.NONE,
          0);
    }
  }

  /**
   * What a client does when an operation ends without a known outcome (a deadline, UNAVAILABLE: the
   * node it asked is stopping, restarting or cut off), as a careful API client would: it tries
   * again on the next node, after {@code backoff} (doubled for every further retry), up to {@code
   * attempts} attempts in all. A write is retried idempotently by reading first: before the next
   * attempt the client reads the register (or lists the course, for a creation) linearizably
   * through the next node; if its value is there the write landed and is done, else the same value
   * is sent again. Every attempt and every such read is an operation of the history of its own (an
   * attempt with an unknown outcome may still land later), so the checker judges what really
   * happened. A refusal (a lost compare-and-set, say) is an answer and is not retried.
   *
   * @param attempts attempts in all, 1 or more; 1 retries nothing
   * @param backoff the pause before the first retry
   */
  public record Retry(int attempts, Duration backoff) {
    /** One attempt, no retries. */
    public static final Retry NONE = new Retry(1, Duration.ZERO);

    public Retry {
      if (attempts < 1 || backoff.isNegative()) {
        throw new IllegalArgumentException(
            "need 1 or more attempts and a backoff not negative: " + attempts + ", " + backoff);
      }
    }
  }

  /**
   * How the clients' logical operations ended, each counted once however many attempts it took
   * (register reads and writes and creations; the setup and {@link #finalReads} are not counted).
   *
   * @param operations logical operations that ended (an operation {@link #stop()} interrupted is
   *     not counted)
   * @param firstAttemptFailures operations whose first attempt ended without a known outcome
   * @param retries attempts after the first, over all operations
   * @param landedBeforeRetry writes that a check before a retry found had landed after all
   * @param refused operations refused with an answer that they had no effect, by status code (for
   *     the workload a lost compare-and-set of a grade: FAILED_PRECONDITION)
   * @param failed operations still without a known outcome after the last attempt, described
   * @param longestRetried the longest time, first attempt to last answer, of an operation that
   *     needed a retry and then succeeded (zero when none did)
   * @param longestRetriedAttempts that operation's attempts, each with how it ended and its time
   */
  public record RetryStats(
      long operations,
      long firstAttemptFailures,
      long retries,
      long landedBeforeRetry,
      Map<String, Long> refused,
      List<String> failed,
      Duration longestRetried,
      String longestRetriedAttempts) {

    /** One line for a test's output. */
    public String summary() {
      return operations
          + " operations, "
          + firstAttemptFailures
          + " failed at their first attempt, "
          + retries
          + " retries, "
          + landedBeforeRetry
          + " writes found landed before a retry, refused "
          + refused
          + ", "
          + failed.size()
          + " failed after every retry, longest retried operation "
          + longestRetried.toMillis()
          + " ms ("
          + longestRetriedAttempts
          + ")";
    }
  }

  /**
   * What {@link #auditCreations} found on one node.
   *
   * @param acknowledged creations the clients were told (or found, before a retry) succeeded
   * @param listed the workload's created titles the node lists
   * @param missing acknowledged titles the node does not list
   * @param duplicated titles the node lists more than once (a retry that created a second copy)
   */
  public record CreationAudit(
      int node, int acknowledged, int listed, List<String> missing, List<String> duplicated) {}

  /** The client name of the setup's operations (register creation, first grades). */
  public static final String PREPARE_CLIENT = "prepare";

  /** The client name of {@link #finalReads}. */
  public static final String FINAL_CLIENT = "final";

  /** The deadline of one final read: the cluster is healed, but may still be electing. */
  private static final Duration FINAL_READ_DEADLINE = Duration.ofSeconds(3);

  /** How long a client pauses after an unknown outcome, so a dead node is not hammered. */
  private static final Duration PAUSE_AFTER_UNKNOWN = Duration.ofMillis(100);

  /** How much longer than one deadline {@link #stop()} waits for the clients. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(3);

  private static final double POINTS = 1.0;

  private enum Register {
    ASSIGNMENT,
    GRADE
  }

  /** A register: its history key, what it is, and the id of the record that holds it. */
  private record Key(String name, Register register, String id) {}

  /** What one operation asks for; {@code value} is null for a read. */
  private record Request(String client, Key key, Kind kind, String value, int node) {
    String describe() {
      return (kind == Kind.WRITE ? "write " + key.name() + "=" + value : "read " + key.name())
          + " through n"
          + node;
    }
  }

  /** An operation sent and not yet recorded. */
  private record Pending(Request request, long invokeNanos) {}

  /** How an operation ended; {@code version} is the grade's, or -1. */
  private record Outcome(Status status, Code code, String value, long version) {}

  /** The title prefix of every creation: the rest is {@code <client>-<sequence>}. */
  private static final String CREATED = "made-";

  /** How many assignments one listing page asks for (the API's most). */
  private static final int PAGE_SIZE = 500;

  /** One blocking call, prepared before its clock starts; returns the value and grade version. */
  @FunctionalInterface
  private interface Rpc {
    Outcome call();
  }

  private final Settings settings;
  private final History history;
  private final List<ManagedChannel> channels;
  private final ScheduledExecutorService reconnector;
  private final WorkloadSetup setup;
  private final List<Key> keys = new ArrayList<>();
  private final Map<String, Long> gradeVersions = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final List<Client> clients = new ArrayList<>();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final AtomicInteger prepareValues = new AtomicInteger();
  private final Map<String, Boolean> acknowledgedCreations = new ConcurrentHashMap<>();
  private final LongAdder logicalOperations = new LongAdder();
  private final LongAdder firstAttemptFailures = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder landedBeforeRetry = new LongAdder();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final List<String> failedOperations = Collections.synchronizedList(new ArrayList<>());

  /** The longest time a retried operation took, in nanoseconds; its lock guards the trail too. */
  private final long[] longestRetried = {0};

  private String longestRetriedTrail = "";
  private ClientInterceptor instructor;
  private String courseId;
  private String fillerAssignment;
  private boolean started;
  private boolean stopped;

  private Workload(List<InetSocketAddress> endpoints, Settings settings, History history) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.history = Objects.requireNonNull(history, "history");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    this.channels = new ArrayList<>();
    for (InetSocketAddress endpoint : endpoints) {
      channels.add(
          NettyChannelBuilder.forAddress(endpoint.getHostString(), endpoint.getPort())
              .usePlaintext()
              // a blackholed connection is noticed within 7 s instead of TCP's minutes
              .keepAliveTime(5, TimeUnit.SECONDS)
              .keepAliveTimeout(2, TimeUnit.SECONDS)
              // a connect into a partition gives up after 2 s (Netty's default is 30 s)
              .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
              .build());
    }
    this.setup = new WorkloadSetup(channels);
    this.reconnector =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "workload-reconnect");
              t.setDaemon(true);
              return t;
            });
    // gRPC backs off up to 2 minutes between reconnects; a healed node must be used again at once
    reconnector.scheduleWithFixedDelay(this::resetFailedBackoff, 500, 500, TimeUnit.MILLISECONDS);
  }

  /**
   * Signs in as {@code admin} through any endpoint (retrying while the cluster settles), creates an
   * instructor, students and their course, the assignments and the graded submissions whose title
   * and feedback are the registers, and signs every client in as the instructor through its first
   * node. Every register's first value (an assignment's title at creation, the first grade's
   * feedback) is in {@code history} as an ok write of client {@value #PREPARE_CLIENT}.
   *
   * @param grpcEndpoints the gRPC endpoint of node 1..n, in order (unresolved addresses are fine)
   */
  public static Workload prepare(
      List<InetSocketAddress> grpcEndpoints,
      String adminPassword,
      Settings settings,
      History history) {
    var workload = new Workload(List.copyOf(grpcEndpoints), settings, history);
    try {
      workload.setUp(adminPassword);
      return workload;
    } catch (RuntimeException | Error e) {
      workload.close();
      throw e;
    }
  }

  private void setUp(String adminPassword) {
    String adminToken = setup.signIn("admin", adminPassword, 1);
    int students = settings.gradeKeys() == 0 ? 0 : Math.min(4, settings.gradeKeys());
    List<WorkloadSetup.Person> people = setup.createPeople(adminToken, students);
    WorkloadSetup.Person teacher = people.get(0);
    List<WorkloadSetup.Person> learners = people.subList(1, people.size());
    courseId =
        setup.createCourse(
            adminToken, teacher.id(), learners.stream().map(WorkloadSetup.Person::id).toList());
    String instructorToken = setup.signIn(teacher.username(), setup.password(), 1);
    instructor = ClusterChannels.bearer(instructorToken);

    var assignments = new ArrayList<String>();
    for (int i = 0; i < settings.assignmentKeys(); i++) {
      String title = prepareValue();
      WorkloadSetup.Created created = setup.createAssignment(instructorToken, courseId, title);
      Key key = new Key("assignment/" + created.id() + "/title", Register.ASSIGNMENT, created.id());
      keys.add(key);
      assignments.add(created.id());
      // the creation is the register's first write: without it, reads of the title look phantom
      record(
          new Request(PREPARE_CLIENT, key, Kind.WRITE, title, setup.lastNode()),
          created.invokeNanos(),
          created.returnNanos(),
          new Outcome(Status.OK, Code.OK, title, -1));
    }
    // no register either: the title that fill() writes to make the log grow
    fillerAssignment = setup.createAssignment(instructorToken, courseId, "filler").id();
    if (settings.gradeKeys() > 0 && assignments.isEmpty()) {
      // submissions need an assignment; this one is no register
      assignments.add(setup.createAssignment(instructorToken, courseId, "hand-ins").id());
    }

    var studentTokens = new ArrayList<String>();
    for (int s = 0; s < learners.size(); s++) {
      studentTokens.add(
          setup.signIn(learners.get(s).username(), setup.password(), s % channels.size() + 1));
    }
    for (int g = 0; g < settings.gradeKeys(); g++) {
      String submissionId =
          setup.submit(
              studentTokens.get(g % studentTokens.size()),
              assignments.get(g % assignments.size()),
              "chaos workload hand-in " + g + "\n");
      Key key = new Key("grade/" + submissionId + "/feedback", Register.GRADE, submissionId);
      keys.add(key);
      gradeFirst(key);
    }

    for (int i = 1; i <= settings.clients(); i++) {
      boolean pinned = i <= settings.pinnedClients();
      int node = (i - 1) % channels.size() + 1;
      String name = pinned ? "c" + i + "@n" + node : "c" + i;
      String token = setup.signIn(teacher.username(), setup.password(), node);
      clients.add(new Client(name, pinned ? node : 0, token, i));
    }
  }

  /**
   * Gives the grade its first value. GetGrade answers NOT_FOUND for a submission not graded yet;
   * reading that as "no value" would be inexact (NOT_FOUND also means the submission is unknown to
   * the node), so every grade register starts with a recorded write, and a NOT_FOUND read of it
   * later is an anomaly ({@link #statusCounts()}: {@code read grade NOT_FOUND}). A write with an
   * unknown outcome is recorded as such; the register counts as started once a linearizable read
   * finds a grade, whoever's write it holds.
   */
  private void gradeFirst(Key key) {
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    Duration deadline = Duration.ofSeconds(10);
    var slot = new AtomicReference<Pending>();
    for (int node = 1; System.nanoTime() < end; node = node % channels.size() + 1) {
      Outcome write =
          perform(
              new Request(PREPARE_CLIENT, key, Kind.WRITE, prepareValue(), node),
              instructor,
              deadline,
              slot,
              true);
      if (write.status() == Status.OK) {
        return;
      }
      Outcome read =
          perform(
              new Request(PREPARE_CLIENT, key, Kind.READ, null, node),
              instructor,
              deadline,
              slot,
              true);
      if (read.status() == Status.OK) {
        return;
      }
    }
    throw new IllegalStateException("workload setup: could not grade " + key.id());
  }

  private String prepareValue() {
    return PREPARE_CLIENT + "-" + prepareValues.incrementAndGet();
  }

  /** Starts the client threads; they run until {@link #stop()}. */
  public synchronized void start() {
    if (started || stopped) {
      throw new IllegalStateException("a workload starts once");
    }
    started = true;
    for (Client client : clients) {
      client.thread.start();
    }
  }

  /**
   * Stops issuing operations and waits for the ones in flight, at most one deadline and a few
   * seconds; an operation still in flight then is recorded as unknown (its write may still land).
   * Safe to call twice.
   */
  public synchronized void stop() {
    if (!started || stopped) {
      stopped = true;
      return;
    }
    stopped = true;
    stopSignal.countDown();
    long end = System.nanoTime() + settings.deadline().plus(STOP_GRACE).toNanos();
    for (Client client : clients) {
      try {
        client.thread.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Client client : clients) {
      Pending abandoned = client.pending.getAndSet(null);
      if (abandoned != null) {
        client.thread.interrupt();
        record(abandoned.request(), abandoned.invokeNanos(), System.nanoTime(), null);
      }
    }
  }

  /**
   * Starts writing the title of an assignment that is no register, through {@code nodes} in turn,
   * until the returned filler is closed. A fault that needs the log to grow (the leader
   * snapshotting and purging past a cut-off follower) then takes the same time however slowly the
   * clients get on meanwhile. These writes are not in the history: nothing reads that title.
   */
  public Filler fill(int... nodes) {
    if (nodes.length == 0) {
      throw new IllegalArgumentException("no node to fill through");
    }
    var filler = new Filler(nodes);
    filler.thread.start();
    return filler;
  }

  /** The thread of {@link #fill}; {@link #close()} stops it and says how many writes landed. */
  public final class Filler implements AutoCloseable {
    private final int[] nodes;
    private final Thread thread = new Thread(this::run, "workload-filler");
    private final CountDownLatch stop = new CountDownLatch(1);
    private final LongAdder written = new LongAdder();

    private Filler(int[] nodes) {
      this.nodes = nodes.clone();
      thread.setDaemon(true);
    }

    private void run() {
      for (long i = 0; stop.getCount() > 0; i++) {
        var stub =
            AssignmentServiceGrpc.newBlockingStub(channels.get(nodes[(int) (i % nodes.length)] - 1))
                .withInterceptors(instructor)
                .withDeadlineAfter(settings.deadline().toNanos(), TimeUnit.NANOSECONDS);
        try {
          stub.updateAssignment(setup.fields().update(fillerAssignment, "filler-" + i));
          written.increment();
        } catch (RuntimeException e) {
          pause(PAUSE_AFTER_UNKNOWN); // no leader among these nodes yet, or a deadline passed
        }
      }
    }

    /** The number of filler writes acknowledged so far. */
    public long written() {
      return written.sum();
    }

    /** Stops the writes and waits for the one in flight (at most one deadline). */
    @Override
    public void close() {
      stop.countDown();
      try {
        thread.join(settings.deadline().plus(STOP_GRACE).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * After healing: one linearizable read per register (client {@value #FINAL_CLIENT}), sent to the
   * nodes in turn until one answers ok, so {@link Anomalies#keysWithoutFinalRead} is empty. Stops
   * the clients first if they run.
   *
   * @throws AssertionError naming the registers that got no ok read within {@code timeout}
   */
  public void finalReads(Duration timeout) {
    stop();
    channels.forEach(ManagedChannel::resetConnectBackoff);
    long end = System.nanoTime() + timeout.toNanos();
    var missing = new ArrayList<>(keys);
    var slot = new AtomicReference<Pending>();
    int node = 1;
    while (!missing.isEmpty() && System.nanoTime() < end) {
      for (Iterator<Key> it = missing.iterator(); it.hasNext(); ) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        Key key = it.next();
        Duration deadline = Duration.ofNanos(Math.min(left, FINAL_READ_DEADLINE.toNanos()));
        Outcome read =
            perform(
                new Request(FINAL_CLIENT, key, Kind.READ, null, node),
                instructor,
                deadline,
                slot,
                true);
        if (read.status() == Status.OK) {
          it.remove();
        } else {
          node = node % channels.size() + 1;
        }
      }
      if (!missing.isEmpty()) {
        pause(Duration.ofMillis(200));
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(
          "no ok linearizable read within "
              + timeout
              + " of "
              + missing.size()
              + " registers: "
              + missing.stream().map(Key::name).toList());
    }
  }

  /**
   * Recorded operations by {@code "<op> <register> <code>"}, e.g. {@code "write grade OK"} or
   * {@code "read assignment DEADLINE_EXCEEDED"}, sorted. Every register exists (and every grade has
   * a value) before the clients start, so any {@code read ... NOT_FOUND} is an anomaly of the
   * cluster. {@code write grade FAILED_PRECONDITION} is a compare-and-set that lost to another
   * client's write (the workload learns versions from answers); {@code ABANDONED} is a call {@link
   * #stop()} stopped waiting for.
   */
  public Map<String, Long> statusCounts() {
    var sorted = new TreeMap<String, Long>();
    counts.forEach((k, v) -> sorted.put(k, v.sum()));
    return sorted;
  }

  /** How the clients' logical operations ended so far (see {@link RetryStats}). */
  public RetryStats retryStats() {
    long longest;
    String trail;
    synchronized (longestRetried) {
      longest = longestRetried[0];
      trail = longestRetriedTrail;
    }
    var refused = new TreeMap<String, Long>();
    refusals.forEach((k, v) -> refused.put(k, v.sum()));
    List<String> failed;
    synchronized (failedOperations) {
      failed = List.copyOf(failedOperations);
    }
    return new RetryStats(
        logicalOperations.sum(),
        firstAttemptFailures.sum(),
        retries.sum(),
        landedBeforeRetry.sum(),
        refused,
        failed,
        Duration.ofNanos(longest),
        trail);
  }

  /** The titles of the creations acknowledged so far (or found landed before a retry). */
  public Set<String> acknowledgedCreations() {
    return Set.copyOf(acknowledgedCreations.keySet());
  }

  /**
   * Lists the course through {@code node}, linearizably, and compares it with the acknowledged
   * creations: every one must be listed, none twice. Retries the listing (the node may still be
   * settling) until {@code timeout}.
   *
   * @throws AssertionError if no listing succeeded within {@code timeout}
   */
  public CreationAudit auditCreations(int node, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    Set<String> acknowledged = acknowledgedCreations();
    while (true) {
      Optional<List<String>> titles = createdTitles(node, instructor, FINAL_READ_DEADLINE);
      if (titles.isPresent()) {
        var seen = new TreeMap<String, Integer>();
        titles.get().forEach(t -> seen.merge(t, 1, Integer::sum));
        List<String> missing =
            acknowledged.stream().filter(t -> !seen.containsKey(t)).sorted().toList();
        List<String> duplicated =
            seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        return new CreationAudit(node, acknowledged.size(), seen.size(), missing, duplicated);
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no linearizable listing of the course through n" + node);
      }
      pause(Duration.ofMillis(200));
    }
  }

  /**
   * The titles of the workload's creations the course holds, read linearizably through {@code node}
   * (one page after another), or empty when a call failed.
   */
  private Optional<List<String>> createdTitles(
      int node, ClientInterceptor token, Duration deadline) {
    var titles = new ArrayList<String>();
    String page = "";
    try {
      do {
        var response =
            AssignmentServiceGrpc.newBlockingStub(channels.get(node - 1))
                .withInterceptors(token)
                .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .listAssignments(
                    ListAssignmentsRequest.newBuilder()
                        .setCourseId(courseId)
                        .setPageSize(PAGE_SIZE)
                        .setPageToken(page)
                        .setReadOptions(
                            ReadOptions.newBuilder()
                                .setConsistency(Consistency.CONSISTENCY_LINEARIZABLE))
                        .build());
        response.getAssignmentsList().stream()
            .map(a -> a.getTitle())
            .filter(t -> t.startsWith(CREATED))
            .forEach(titles::add);
        page = response.getNextPageToken();
      } while (!page.isEmpty());
      count("list assignments OK");
      return Optional.of(titles);
    } catch (RuntimeException e) {
      count("list assignments " + io.grpc.Status.fromThrowable(e).getCode().name());
      return Optional.empty();
    }
  }

  /** Stops the clients if they run and shuts the channels down. */
  @Override
  public void close() {
    stop();
    reconnector.shutdownNow();
    ClusterChannels.shutdown(channels);
  }

  // ---------------------------------------------------------------- operations

  /**
   * Sends one operation and records it, unless {@link #stop()} recorded it as abandoned meanwhile.
   * The clock starts after the stub and request are built and stops as soon as the call returns.
   */
  private Outcome perform(
      Request r,
      ClientInterceptor token,
      Duration deadline,
      AtomicReference<Pending> slot,
      boolean linearizable) {
    Rpc rpc = rpc(r, token, deadline, linearizable);
    var pending = new Pending(r, System.nanoTime());
    slot.set(pending);
    Outcome outcome;
    try {
      outcome = rpc.call();
    } catch (RuntimeException e) {
      Code code = io.grpc.Status.fromThrowable(e).getCode();
      outcome = new Outcome(Outcomes.of(code, r.kind()), code, null, -1);
    }
    long returned = System.nanoTime();
    if (slot.compareAndSet(pending, null)) {
      record(r, pending.invokeNanos(), returned, outcome);
    }
    if (outcome.version() >= 0) {
      gradeVersions.merge(r.key().id(), outcome.version(), Math::max);
    }
    return outcome;
  }

  private Rpc rpc(Request r, ClientInterceptor token, Duration deadline, boolean linearizable) {
    var channel = channels.get(r.node() - 1);
    long nanos = deadline.toNanos();
    ReadOptions options =
        linearizable
            ? ReadOptions.newBuilder().setConsistency(Consistency.CONSISTENCY_LINEARIZABLE).build()
            // this node's copy as it is: no read barrier, no minimum index
            : ReadOptions.newBuilder()
                .setConsistency(Consistency.CONSISTENCY_DEFAULT)
                .setMinIndex(0)
                .build();
    String id = r.key().id();
    if (r.key().register() == Register.ASSIGNMENT) {
      var stub =
          AssignmentServiceGrpc.newBlockingStub(channel)
              .withInterceptors(token)
              .withDeadlineAfter(nanos, TimeUnit.NANOSECONDS);
      if (r.kind() == Kind.WRITE) {
        var request = setup.fields().update(id, r.value());
        return () -> {
          stub.updateAssignment(request);
          return new Outcome(Status.OK, Code.OK, r.value(), -1);
        };
      }
      var request =
          GetAssignmentRequest.newBuilder().setAssignmentId(id).setReadOptions(options).build();
      return () -> new Outcome(Status.OK, Code.OK, stub.getAssignment(request).getTitle(), -1);
    }
    var stub =
        GradingServiceGrpc.newBlockingStub(channel)
            .withInterceptors(token)
            .withDeadlineAfter(nanos, TimeUnit.NANOSECONDS);
    if (r.kind() == Kind.WRITE) {
      var request =
          GradeSubmissionRequest.newBuilder()
              .setSubmissionId(id)
              .setPoints(POINTS)
              .setFeedback(r.value())
              .setExpectedVersion(gradeVersions.getOrDefault(id, 0L))
              .build();
      return () ->
          new Outcome(
              Status.OK, Code.OK, r.value(), stub.gradeSubmission(request).getGrade().getVersion());
    }
    var request = GetGradeRequest.newBuilder().setSubmissionId(id).setReadOptions(options).build();
    return () -> {
      var grade = stub.getGrade(request);
      return new Outcome(Status.OK, Code.OK, grade.getFeedback(), grade.getVersion());
    };
  }

  /** Appends one operation to the history; {@code outcome} null: abandoned by {@link #stop()}. */
  private void record(Request r, long invoked, long returned, Outcome outcome) {
    Status status = outcome == null ? Status.UNKNOWN : outcome.status();
    String code = outcome == null ? "ABANDONED" : outcome.code().name();
    String value =
        r.kind() == Kind.WRITE ? r.value() : status == Status.OK ? outcome.value() : null;
    var op = new Operation(r.client(), r.kind(), r.key().name(), value, invoked, returned, status);
    history.append(op);
    String register = r.key().register() == Register.ASSIGNMENT ? "assignment" : "grade";
    count(r.kind().name().toLowerCase(Locale.ROOT) + " " + register + " " + code);
  }

  private void count(String what) {
    counts.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  private void resetFailedBackoff() {
    for (ManagedChannel channel : channels) {
      if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
        channel.resetConnectBackoff();
      }
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- clients

  /** One client: a thread with at most one operation in flight. */
  private final class Client implements Runnable {
    final String name;
    final int pinnedNode;
    final ClientInterceptor token;
    final SplittableRandom random;
    final AtomicReference<Pending> pending = new AtomicReference<>();
    final Thread thread;

    /** The attempts of the current logical operation, for {@link RetryStats}. */
    final StringBuilder trail = new StringBuilder();

    long sequence;
    int avoidNode;
    Key refresh;

    Client(String name, int pinnedNode, String token, int number) {
      this.name = name;
      this.pinnedNode = pinnedNode;
      this.token = ClusterChannels.bearer(token);
      this.random = new SplittableRandom(settings.seed() * 1_000_003L + number);
      this.thread = new Thread(this, "workload-" + name);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      while (stopSignal.getCount() > 0) {
        // no draw without creations: a chaos run's seed replays the same choices as before
        boolean create =
            refresh == null
                && settings.createRatio() > 0
                && random.nextDouble() < settings.createRatio();
        Status last = create ? create() : registerOperation();
        if (last == null || !think(last == Status.UNKNOWN)) {
          return; // stopped, possibly in the middle of retrying
        }
      }
    }

    /**
     * One read or write of a register, retried as {@link Settings#retry()} says; its last status,
     * or null when the workload stopped while it was being retried.
     */
    private Status registerOperation() {
      Request request = next();
      long start = System.nanoTime();
      trail.setLength(0);
      Outcome outcome = tracked(request, settings.linearizableReads());
      boolean firstFailed = outcome.status() == Status.UNKNOWN;
      boolean landed = false;
      int node = request.node();
      for (int attempt = 2;
          attempt <= settings.retry().attempts() && outcome.status() == Status.UNKNOWN;
          attempt++) {
        if (!backoff(attempt)) {
          return null;
        }
        node = nextNode(node);
        if (request.kind() == Kind.WRITE) {
          // did the attempt land after all? (a read also tells a grade's current version)
          Outcome check = tracked(new Request(name, request.key(), Kind.READ, null, node), true);
          if (check.status() == Status.OK && request.value().equals(check.value())) {
            landed = true;
            landedBeforeRetry.increment();
            break;
          }
          if (check.status() == Status.UNKNOWN) {
            node = nextNode(node);
          }
        }
        retries.increment();
        outcome =
            tracked(
                new Request(name, request.key(), request.kind(), request.value(), node),
                request.kind() == Kind.READ ? settings.linearizableReads() : true);
      }
      Status status = landed ? Status.OK : outcome.status();
      account(request.describe(), start, firstFailed, status, outcome.code());
      avoidNode = firstFailed && pinnedNode == 0 ? request.node() : 0;
      if (request.key().register() == Register.GRADE && request.kind() == Kind.WRITE) {
        // a lost compare-and-set, or a write that may have landed: learn the version first
        refresh = status == Status.OK ? null : request.key();
      } else if (request.key().equals(refresh)) {
        refresh = null;
      }
      return status;
    }

    /**
     * Creates an assignment titled {@code made-<client>-<n>}, retried as {@link Settings#retry()}
     * says, listing the course before every retry to find whether the last attempt landed; its last
     * status, or null when the workload stopped while it was being retried.
     */
    private Status create() {
      String title = CREATED + name + "-" + ++sequence;
      int node = node();
      long start = System.nanoTime();
      trail.setLength(0);
      Code code = createOnce(title, node);
      boolean firstFailed = Outcomes.of(code, Kind.WRITE) == Status.UNKNOWN;
      boolean landed = false;
      for (int attempt = 2;
          attempt <= settings.retry().attempts() && Outcomes.of(code, Kind.WRITE) == Status.UNKNOWN;
          attempt++) {
        if (!backoff(attempt)) {
          return null;
        }
        node = nextNode(node);
        long listed = System.nanoTime();
        Optional<List<String>> titles = createdTitles(node, token, settings.deadline());
        note("list n" + node + " " + (titles.isPresent() ? "OK" : "failed"), listed);
        if (titles.isPresent() && titles.get().contains(title)) {
          landed = true;
          landedBeforeRetry.increment();
          acknowledgedCreations.put(title, true);
          break;
        }
        if (titles.isEmpty()) {
          node = nextNode(node);
        }
        retries.increment();
        code = createOnce(title, node);
      }
      Status status = landed ? Status.OK : Outcomes.of(code, Kind.WRITE);
      account("create " + title + " through n" + node, start, firstFailed, status, code);
      avoidNode = firstFailed && pinnedNode == 0 ? node : 0;
      return status;
    }

    /** One CreateAssignment call; its status code. An acknowledged title is remembered. */
    private Code createOnce(String title, int node) {
      long sent = System.nanoTime();
      var stub =
          AssignmentServiceGrpc.newBlockingStub(channels.get(node - 1))
              .withInterceptors(token)
              .withDeadlineAfter(settings.deadline().toNanos(), TimeUnit.NANOSECONDS);
      Code code;
      try {
        stub.createAssignment(setup.fields().create(courseId, title));
        acknowledgedCreations.put(title, true);
        code = Code.OK;
      } catch (RuntimeException e) {
        code = io.grpc.Status.fromThrowable(e).getCode();
      }
      count("create assignment " + code.name());
      note("create n" + node + " " + code, sent);
      return code;
    }

    /** {@link #perform} of one attempt, noted in the operation's trail. */
    private Outcome tracked(Request r, boolean linearizable) {
      long sent = System.nanoTime();
      Outcome outcome = perform(r, token, settings.deadline(), pending, linearizable);
      note(r.kind().name().toLowerCase(Locale.ROOT) + " n" + r.node() + " " + outcome.code(), sent);
      return outcome;
    }

    /** Adds one attempt (what it was, how it ended) and its time to the operation's trail. */
    private void note(String attempt, long sentNanos) {
      trail
          .append(trail.length() == 0 ? "" : ", ")
          .append(attempt)
          .append(" after ")
          .append((System.nanoTime() - sentNanos) / 1_000_000)
          .append(" ms");
    }

    /** Counts one logical operation that ended with {@code status}. */
    private void account(
        String what, long startNanos, boolean firstFailed, Status status, Code lastCode) {
      logicalOperations.increment();
      if (firstFailed) {
        firstAttemptFailures.increment();
        if (status == Status.OK) {
          long took = System.nanoTime() - startNanos;
          synchronized (longestRetried) {
            if (took > longestRetried[0]) {
              longestRetried[0] = took;
              longestRetriedTrail = name + ": " + what + ": " + trail;
            }
          }
        }
      }
      if (status == Status.FAIL) {
        refusals.computeIfAbsent(lastCode.name(), k -> new LongAdder()).increment();
      } else if (status == Status.UNKNOWN) {
        failedOperations.add(
            name
                + ": "
                + what
                + ", last attempt "
                + lastCode
                + " after "
                + (System.nanoTime() - startNanos) / 1_000_000
                + " ms: "
                + trail);
      }
    }

    /** Waits before retry {@code attempt} (2 or more); false once the workload stops. */
    private boolean backoff(int attempt) {
      long nanos = settings.retry().backoff().toNanos() << Math.min(attempt - 2, 10);
      try {
        return !stopSignal.await(nanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return false;
      }
    }

    private int nextNode(int node) {
      return node % channels.size() + 1;
    }

    private Request next() {
      Key key;
      Kind kind;
      if (refresh != null) {
        key = refresh;
        kind = Kind.READ;
      } else {
        key = keys.get(random.nextInt(keys.size()));
        kind = random.nextDouble() < settings.writeRatio() ? Kind.WRITE : Kind.READ;
      }
      String value = kind == Kind.WRITE ? name + "-" + ++sequence : null;
      return new Request(name, key, kind, value, node());
    }

    private int node() {
      int n = channels.size();
      if (pinnedNode != 0) {
        return pinnedNode;
      }
      if (avoidNode == 0 || n == 1) {
        return random.nextInt(n) + 1;
      }
      int other = random.nextInt(n - 1) + 1; // 1..n-1, skipping avoidNode
      return other >= avoidNode ? other + 1 : other;
    }

    /** Pauses before the next operation; false once the workload stops. */
    private boolean think(boolean afterUnknown) {
      long mean = settings.thinkTime().toNanos();
      long nanos = mean == 0 ? 0 : mean / 2 + random.nextLong(mean + 1);
      if (afterUnknown) {
        nanos = Math.max(nanos, PAUSE_AFTER_UNKNOWN.toNanos());
      }
      try {
        return !stopSignal.await(nanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return false;
      }
    }
  }
}
