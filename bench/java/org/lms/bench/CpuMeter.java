package org.lms.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.lms.testing.ClusterProcesses;

/**
 * CPU time spent by the three node processes and by this (client) process between two readings, and
 * how busy the whole machine was: on a 2-core machine that all of them share, this says where the
 * cores went, per call.
 */
final class CpuMeter {
  private final ClusterProcesses cluster;
  private long nodesNanos;
  private long clientNanos;
  private long machineBusy;
  private long machineTotal;

  CpuMeter(ClusterProcesses cluster) {
    this.cluster = cluster;
  }

  /** Takes the starting reading. */
  CpuMeter start() {
    nodesNanos = nodesCpuNanos();
    clientNanos = clientCpuNanos();
    long[] m = machineTicks();
    machineBusy = m[0];
    machineTotal = m[1];
    return this;
  }

  /** CPU used since {@link #start()}. */
  Usage stop() {
    long[] m = machineTicks();
    long total = m[1] - machineTotal;
    return new Usage(
        (nodesCpuNanos() - nodesNanos) / 1e6,
        (clientCpuNanos() - clientNanos) / 1e6,
        total <= 0 ? Double.NaN : 100.0 * (m[0] - machineBusy) / total);
  }

  /**
   * @param nodesMs CPU milliseconds of the three node JVMs together
   * @param clientMs CPU milliseconds of this JVM (the clients, plus Maven around them)
   * @param machineBusyPercent share of the machine's cores that were busy (any process)
   */
  record Usage(double nodesMs, double clientMs, double machineBusyPercent) {}

  private long nodesCpuNanos() {
    long sum = 0;
    for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
      OptionalLong pid = cluster.pid(node);
      if (pid.isPresent()) {
        sum +=
            ProcessHandle.of(pid.getAsLong())
                .flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toNanos)
                .orElse(0L);
      }
    }
    return sum;
  }

  /** CPU time of this whole JVM (every thread, in-JVM servers included), in nanoseconds. */
  static long clientCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }

  /** {@code /proc/loadavg}'s three load averages, so a reader can tell a quiet run from a busy one. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Busy and total jiffies of all cores, from the first line of {@code /proc/stat}. */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
