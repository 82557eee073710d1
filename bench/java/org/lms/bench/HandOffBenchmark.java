package org.lms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.lms.domain.command.BootstrapAdmin;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.model.Role;
import org.lms.testing.RatisCluster;
import org.lms.testing.RatisCluster.Wipe;

/**
 * What a graceful stop of the leader costs the writers, with and without the hand-off a stopping
 * node does first ({@code RatisNode.handOffLeadership}, on by default: {@code
 * LMS_LEADER_HANDOFF_MS}): three Ratis peers in one JVM (production election timeouts, 1-2 s),
 * four writers proposing without pause through the two followers, and the leader stopped as {@code
 * LmsNode} stops it (hand-off, then close) or closed at once; the longest time without an
 * acknowledged write from the stop on, then the node restarted and caught up. Rounds alternate the
 * two ways, so both meet the same machine load.
 *
 * <p>Run with {@code bench/run handoff [rounds-per-way]}; writes {@code
 * bench/results/handoff.json} and {@code bench/results/handoff.md}.
 */
public final class HandOffBenchmark {
  private static final int WRITERS = 4;
  private static final Duration HAND_OFF_TIMEOUT = Duration.ofSeconds(5);

  /** How long after the stop the writers' acknowledgements are watched. */
  private static final Duration WATCH = Duration.ofSeconds(8);

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private record Round(
      int number, boolean handOff, String outcome, long stopMillis, long gapMillis, long writes) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
    String loadBefore = CpuMeter.loadAverage();
    List<Round> results = new ArrayList<>();
    try (var cluster = RatisCluster.start(100_000)) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      cluster.gateway(leader).submit(new BootstrapAdmin("u-admin", "admin", "hash", T0)).orThrow();
      var ids = new AtomicLong();
      for (int round = 1; round <= 2 * rounds; round++) {
        boolean handOff = round % 2 == 1;
        results.add(round(cluster, round, handOff, ids));
        System.out.println(results.get(results.size() - 1));
      }
    }
    write(out, rounds, results, loadBefore, CpuMeter.loadAverage());
  }

  private static Round round(RatisCluster cluster, int number, boolean handOff, AtomicLong ids)
      throws InterruptedException {
    int leader = cluster.awaitLeader(Duration.ofSeconds(30));
    List<Integer> followers = new ArrayList<>(cluster.running());
    followers.remove(Integer.valueOf(leader));
    var acks = new ConcurrentLinkedQueue<Long>();
    var stop = new AtomicBoolean();
    var writers = new ArrayList<Thread>();
    for (int w = 0; w < WRITERS; w++) {
      var gateway = cluster.gateway(followers.get(w % followers.size()));
      var writer =
          new Thread(
              () -> {
                while (!stop.get()) {
                  long id = ids.incrementAndGet();
                  try {
                    gateway.submit(
                        new RegisterUser(
                            "u-" + id, "user" + id, "User", Role.STUDENT, "h", "u-admin", T0));
                    acks.add(System.nanoTime());
                  } catch (RuntimeException e) {
                    // no leader within the retry budget: the gap shows it
                  }
                }
              },
              "handoff-writer-" + w);
      writer.setDaemon(true);
      writers.add(writer);
      writer.start();
    }
    Thread.sleep(1500); // the writers reach their pace
    long stopped = System.nanoTime();
    String outcome =
        handOff ? cluster.node(leader).handOffLeadership(HAND_OFF_TIMEOUT) : "no hand-off";
    cluster.kill(leader);
    long stopMillis = (System.nanoTime() - stopped) / 1_000_000;
    Thread.sleep(WATCH.toMillis());
    stop.set(true);
    for (Thread writer : writers) {
      writer.join(20_000);
    }
    long end = stopped + WATCH.toNanos();
    List<Long> times = acks.stream().filter(t -> t >= stopped && t <= end).sorted().toList();
    long previous = stopped;
    long gap = 0;
    for (long t : times) {
      gap = Math.max(gap, t - previous);
      previous = t;
    }
    gap = Math.max(gap, end - previous);
    cluster.restart(leader, Wipe.NOTHING);
    long last = cluster.gateway(followers.get(0)).appliedIndex();
    cluster.awaitAllApplied(last, Duration.ofSeconds(60));
    return new Round(number, handOff, outcome, stopMillis, gap / 1_000_000, times.size());
  }

  private static void write(
      Path dir, int rounds, List<Round> results, String loadBefore, String loadAfter)
      throws IOException {
    Files.createDirectories(dir);
    var json = new StringBuilder();
    json.append("{\n  \"benchmark\": \"leader-hand-off\",\n");
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
    json.append("  \"writers\": ").append(WRITERS).append(",\n  \"rounds\": [\n");
    for (int i = 0; i < results.size(); i++) {
      Round r = results.get(i);
      json.append(
          String.format(
              Locale.ROOT,
              "    {\"round\": %d, \"handOff\": %b, \"outcome\": \"%s\", \"stopMs\": %d,"
                  + " \"gapMs\": %d, \"writesInWatch\": %d}%s%n",
              r.number(),
              r.handOff(),
              r.outcome().replace("\"", "'"),
              r.stopMillis(),
              r.gapMillis(),
              r.writes(),
              i < results.size() - 1 ? "," : ""));
    }
    json.append("  ]\n}\n");
    Files.writeString(dir.resolve("handoff.json"), json);

    var md = new StringBuilder();
    md.append("# Stopping the leader gracefully: with and without the hand-off\n\n");
    md.append("`bench/run handoff ").append(rounds).append("` on ").append(Instant.now());
    md.append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores; load average ");
    md.append(loadBefore).append(" before, ").append(loadAfter).append(" after).\n");
    md.append("Three Ratis peers in one JVM, election timeouts 1-2 s, ")
        .append(WRITERS)
        .append(" writers proposing through the two followers; the gap is the longest time without")
        .append(" an acknowledged write in the ")
        .append(WATCH.toSeconds())
        .append(" s after the stop began.\n\n");
    md.append("| way | rounds | gap ms (each) | median gap ms | max gap ms | stop ms (median) |\n");
    md.append("|---|---:|---|---:|---:|---:|\n");
    for (boolean handOff : new boolean[] {true, false}) {
      List<Round> way = results.stream().filter(r -> r.handOff() == handOff).toList();
      List<Long> gaps = way.stream().map(Round::gapMillis).sorted().toList();
      List<Long> stops = way.stream().map(Round::stopMillis).sorted().toList();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %d | %d | %d |%n",
              handOff ? "hand-off, then stop" : "stop at once",
              way.size(),
              way.stream().map(r -> String.valueOf(r.gapMillis())).toList(),
              gaps.get(gaps.size() / 2),
              gaps.get(gaps.size() - 1),
              stops.get(stops.size() / 2)));
    }
    md.append("\nHand-off outcomes: ");
    md.append(
        results.stream()
            .filter(Round::handOff)
            .map(r -> r.outcome().replaceAll(" in \\d+ ms", ""))
            .distinct()
            .toList()
            .toString());
    md.append("\n");
    Files.writeString(dir.resolve("handoff.md"), md);
  }

  private HandOffBenchmark() {}
}
