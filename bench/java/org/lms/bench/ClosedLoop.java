package org.lms.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The clients of one measured level: one thread each, all let go at once, each calling again as
 * soon as its call returns until the level's time is up. The threads are created before {@link
 * #run}, so that what is measured around it is the calls alone.
 */
final class ClosedLoop {
  /** Call number {@code sequence} (counted from 1) of client {@code client}. */
  interface Call {
    void run(int client, long sequence);
  }

  /**
   * What one level measured.
   *
   * @param latencies of the calls that succeeded
   * @param failures failed calls, by the name the loop's failure function gave them
   * @param seconds how long the level ran
   */
  record Result(Latencies latencies, Map<String, Long> failures, double seconds) {
    long operations() {
      return latencies.count();
    }

    double perSecond() {
      return latencies.count() / seconds;
    }

    long failed() {
      return failures.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final List<Thread> threads = new ArrayList<>();
  private final Latencies[] latencies;
  private final List<Map<String, Long>> failures = new ArrayList<>();
  private final CountDownLatch start = new CountDownLatch(1);
  private volatile long deadline;

  /**
   * Starts {@code clients} threads named {@code name-<client>}, waiting for {@link #run}. A call
   * that throws counts as failed under {@code failure.apply(e)}; a failure function that throws
   * ends that client.
   */
  ClosedLoop(String name, int clients, Call call, Function<RuntimeException, String> failure) {
    latencies = new Latencies[clients];
    for (int c = 0; c < clients; c++) {
      int client = c;
      latencies[c] = new Latencies();
      Map<String, Long> failed = new TreeMap<>();
      failures.add(failed);
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                long end = deadline;
                for (long i = 1; System.nanoTime() < end; i++) {
                  long t0 = System.nanoTime();
                  try {
                    call.run(client, i);
                    latencies[client].add(System.nanoTime() - t0);
                  } catch (RuntimeException e) {
                    failed.merge(failure.apply(e), 1L, Long::sum);
                  }
                }
              },
              name + "-" + c);
      threads.add(t);
      t.start();
    }
  }

  /** Lets the clients go for {@code seconds} and waits until every one of them has stopped. */
  Result run(long seconds) throws InterruptedException {
    long t0 = System.nanoTime();
    deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    var all = new Latencies();
    var failed = new TreeMap<String, Long>();
    for (int c = 0; c < threads.size(); c++) {
      all.addAll(latencies[c]);
      failures.get(c).forEach((code, n) -> failed.merge(code, n, Long::sum));
    }
    return new Result(all, failed, elapsed);
  }
}
