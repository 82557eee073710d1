package org.lms.bench;

import java.util.Arrays;

/** Latencies of one run in nanoseconds, and their percentiles. */
final class Latencies {
  // grows by doubling; small at first, since the portal benchmark keeps one per user and page
  private long[] values = new long[1 << 10];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  void addAll(Latencies other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  int count() {
    return size;
  }

  /** The {@code p}-th percentile (0-100) in milliseconds, nearest rank. */
  double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
  }
}
