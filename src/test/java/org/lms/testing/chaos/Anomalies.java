package org.lms.testing.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Cheap checks that name a violation in words the report can show: lost writes, phantom reads and
 * stale reads. They are sound (each one found means the history is not linearizable) but not
 * complete; {@link LinearizabilityChecker} remains the judge. They rely on what the workload
 * promises: every write to a key writes a value no other write to that key writes; where a value is
 * written twice they stay sound by assuming the read came from whichever write suits it best.
 */
public final class Anomalies {
  private static final long NEVER = Long.MAX_VALUE;

  private Anomalies() {}

  /** All three checks, lost writes first. */
  public static List<Anomaly> all(History history) {
    List<Anomaly> found = new ArrayList<>(lostWrites(history));
    found.addAll(phantomReads(history));
    found.addAll(staleReads(history));
    return found;
  }

  /**
   * Keys whose last operation is not a final read (an acknowledged read invoked after every other
   * operation on the key was invoked, and after every acknowledged one returned). A runner needs
   * one per key for {@link #lostWrites} to mean anything.
   */
  public static List<String> keysWithoutFinalRead(History history) {
    List<String> keys = new ArrayList<>();
    history
        .byKey()
        .forEach(
            (key, ops) -> {
              if (finalRead(ops).isEmpty()) {
                keys.add(key);
              }
            });
    return keys;
  }

  /**
   * The final read of each key (see {@link #keysWithoutFinalRead}) must return a value one of the
   * writes that could be last wrote: a value older than an acknowledged write means that write was
   * lost. Keys without a final read are not judged here.
   */
  public static List<Anomaly> lostWrites(History history) {
    List<Anomaly> found = new ArrayList<>();
    history.byKey().forEach((key, ops) -> finalRead(ops).ifPresent(f -> lost(key, ops, f, found)));
    return found;
  }

  /**
   * A read returned a value that no write could have put there: written by no write at all, only by
   * writes that failed (the server promised no effect), only by writes invoked after the read
   * returned, or only to other keys.
   */
  public static List<Anomaly> phantomReads(History history) {
    Map<String, List<Operation>> writesByValue = new HashMap<>();
    for (Operation op : history.operations()) {
      if (op.isWrite()) {
        writesByValue.computeIfAbsent(op.value(), v -> new ArrayList<>()).add(op);
      }
    }
    List<Anomaly> found = new ArrayList<>();
    for (Operation read : history.operations()) {
      if (!read.isRead() || read.status() != Operation.Status.OK || read.value() == null) {
        continue;
      }
      List<Operation> sameValue = writesByValue.getOrDefault(read.value(), List.of());
      List<Operation> sameKey = sameValue.stream().filter(w -> w.key().equals(read.key())).toList();
      if (sameKey.stream().anyMatch(w -> mayHaveWritten(w, read))) {
        continue;
      }
      String why;
      List<Operation> shown = new ArrayList<>(List.of(read));
      if (!sameKey.isEmpty()) {
        boolean allFailed = sameKey.stream().allMatch(w -> w.status() == Operation.Status.FAIL);
        why =
            allFailed
                ? "the value was written only by writes that failed, which had no effect"
                : "the value's write began only after the read returned";
        shown.addAll(sameKey);
      } else if (!sameValue.isEmpty()) {
        why =
            "the value was written to "
                + sameValue.stream()
                    .map(Operation::key)
                    .collect(Collectors.toCollection(TreeSet::new))
                + ", never to this key";
        shown.addAll(sameValue.stream().limit(3).toList());
      } else {
        why = "no write ever wrote the value";
      }
      found.add(
          new Anomaly(Anomaly.Kind.PHANTOM_READ, read.key(), read.describe() + ": " + why, shown));
    }
    return found;
  }

  /**
   * A read returned the value of a write W although another write W2 began after W returned and was
   * in effect before the read began (acknowledged, or already returned by an earlier read). No read
   * is stale for an unknown write W: it may take effect arbitrarily late.
   */
  public static List<Anomaly> staleReads(History history) {
    List<Anomaly> found = new ArrayList<>();
    history
        .byKey()
        .forEach(
            (key, ops) -> {
              KeyTimeline t = new KeyTimeline(ops);
              for (Operation read : ops) {
                if (read.isRead() && read.status() == Operation.Status.OK) {
                  t.stale(read)
                      .ifPresent(
                          why ->
                              found.add(
                                  new Anomaly(
                                      Anomaly.Kind.STALE_READ,
                                      key,
                                      read.describe() + ": " + why.text(),
                                      why.operations(read))));
                }
              }
            });
    return found;
  }

  static Optional<Operation> finalRead(List<Operation> ops) {
    Operation last = null;
    for (Operation op : ops) {
      if (informative(op) && (last == null || op.invokeNanos() >= last.invokeNanos())) {
        last = op;
      }
    }
    if (last == null || !last.isRead() || last.status() != Operation.Status.OK) {
      return Optional.empty();
    }
    for (Operation op : ops) {
      if (op != last
          && informative(op)
          && (op.invokeNanos() >= last.invokeNanos()
              || (op.status() == Operation.Status.OK && op.returnNanos() >= last.invokeNanos()))) {
        return Optional.empty();
      }
    }
    return Optional.of(last);
  }

  private static void lost(
      String key, List<Operation> ops, Operation finalRead, List<Anomaly> out) {
    KeyTimeline t = new KeyTimeline(ops);
    Optional<Staleness> stale = t.stale(finalRead);
    if (stale.isEmpty()) {
      return;
    }
    // the acknowledged writes that began after the value read had been written: all lost
    long readWrittenBy =
        stale.get().source == null ? Long.MIN_VALUE : stale.get().source.returnNanos();
    List<Operation> lost =
        t.writes.stream()
            .filter(w -> w.status() == Operation.Status.OK && w.invokeNanos() > readWrittenBy)
            .sorted(Comparator.comparingLong(Operation::returnNanos).reversed())
            .toList();
    List<Operation> shown = new ArrayList<>(List.of(finalRead));
    if (stale.get().source != null) {
      shown.add(stale.get().source);
    }
    shown.addAll(lost.stream().limit(5).toList());
    out.add(
        new Anomaly(
            Anomaly.Kind.LOST_WRITE,
            key,
            "final read "
                + finalRead.describe()
                + (stale.get().source == null
                    ? " found no value"
                    : " found the value of " + stale.get().source.describe())
                + ", so "
                + lost.size()
                + " acknowledged write(s) that followed it are lost, latest: "
                + lost.stream().limit(5).map(Operation::describe).collect(Collectors.joining("; ")),
            shown));
  }

  private static boolean informative(Operation op) {
    return op.status() != Operation.Status.FAIL
        && !(op.isRead() && op.status() == Operation.Status.UNKNOWN);
  }

  /** Whether write {@code w} could be where {@code read}'s value came from. */
  private static boolean mayHaveWritten(Operation w, Operation read) {
    return w.status() != Operation.Status.FAIL && w.invokeNanos() <= read.returnNanos();
  }

  private record Staleness(String text, Operation source, Operation overwrite) {
    List<Operation> operations(Operation read) {
      List<Operation> ops = new ArrayList<>(List.of(read));
      if (source != null) {
        ops.add(source);
      }
      ops.add(overwrite);
      return ops;
    }
  }

  /**
   * The writes of one key with the time each was certainly in effect: when it was acknowledged or
   * first read back, whichever came first (never, for an unknown write nobody read).
   */
  private static final class KeyTimeline {
    final List<Operation> writes; // no failed writes; sorted by invocation
    final long[] inEffect;
    final long[] suffixMin; // min inEffect over writes[i..]
    final int[] suffixArg;
    final Map<String, List<Operation>> byValue = new HashMap<>();

    KeyTimeline(List<Operation> ops) {
      writes =
          ops.stream()
              .filter(o -> o.isWrite() && o.status() != Operation.Status.FAIL)
              .sorted(Comparator.comparingLong(Operation::invokeNanos))
              .toList();
      for (Operation w : writes) {
        byValue.computeIfAbsent(w.value(), v -> new ArrayList<>()).add(w);
      }
      Map<String, List<Long>> readBack = new HashMap<>();
      for (Operation r : ops) {
        if (r.isRead() && r.status() == Operation.Status.OK && r.value() != null) {
          readBack.computeIfAbsent(r.value(), v -> new ArrayList<>()).add(r.returnNanos());
        }
      }
      int n = writes.size();
      inEffect = new long[n];
      for (int i = 0; i < n; i++) {
        Operation w = writes.get(i);
        long t = w.status() == Operation.Status.OK ? w.returnNanos() : NEVER;
        // a read back proves this write took effect only if no other write has its value, and
        // only a read that returned after the write began (an earlier one is a phantom)
        if (byValue.get(w.value()).size() == 1) {
          for (long returned : readBack.getOrDefault(w.value(), List.of())) {
            if (returned >= w.invokeNanos()) {
              t = Math.min(t, returned);
            }
          }
        }
        inEffect[i] = t;
      }
      suffixMin = new long[n + 1];
      suffixArg = new int[n + 1];
      suffixMin[n] = NEVER;
      suffixArg[n] = -1;
      for (int i = n - 1; i >= 0; i--) {
        boolean here = inEffect[i] < suffixMin[i + 1];
        suffixMin[i] = here ? inEffect[i] : suffixMin[i + 1];
        suffixArg[i] = here ? i : suffixArg[i + 1];
      }
    }

    /**
     * A write invoked after {@code after} that was in effect before {@code before}, if any: proof
     * that a write which returned at {@code after} had been overwritten by {@code before}.
     */
    Operation overwrittenBetween(long after, long before) {
      if (after == NEVER) {
        return null;
      }
      int lo = 0;
      int hi = writes.size();
      while (lo < hi) { // first write invoked strictly after `after`
        int mid = (lo + hi) >>> 1;
        if (writes.get(mid).invokeNanos() > after) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return suffixMin[lo] < before ? writes.get(suffixArg[lo]) : null;
    }

    Optional<Staleness> stale(Operation read) {
      if (read.value() == null) {
        Operation w = overwrittenBetween(Long.MIN_VALUE, read.invokeNanos());
        return w == null
            ? Optional.empty()
            : Optional.of(
                new Staleness(
                    "read no value, but " + w.describe() + " was in effect before the read began",
                    null,
                    w));
      }
      List<Operation> sources =
          byValue.getOrDefault(read.value(), List.of()).stream()
              .filter(w -> mayHaveWritten(w, read))
              .toList();
      if (sources.isEmpty()) {
        return Optional.empty(); // a phantom, not a stale read
      }
      Operation source = null;
      Operation overwrite = null;
      for (Operation w : sources) {
        long returned = w.status() == Operation.Status.OK ? w.returnNanos() : NEVER;
        Operation o = overwrittenBetween(returned, read.invokeNanos());
        if (o == null) {
          return Optional.empty();
        }
        source = w;
        overwrite = o;
      }
      return Optional.of(
          new Staleness(
              "its value was written by "
                  + Objects.requireNonNull(source).describe()
                  + ", overwritten by "
                  + overwrite.describe()
                  + ", which began after that write returned and was in effect before the read"
                  + " began",
              source,
              overwrite));
    }
  }
}
