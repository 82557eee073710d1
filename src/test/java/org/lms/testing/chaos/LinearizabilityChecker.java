package org.lms.testing.chaos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Decides whether a history of reads and writes is linearizable, for one register per key (initial
 * value: none). Each key is searched on its own (P-compositionality); the search is Wing and
 * Gong's, with Lowe's memoisation of (operations linearized so far, register value), bounded by a
 * number of explored states beyond which the verdict is {@link Verdict#UNDECIDED}.
 *
 * <p>Statuses: {@code fail} operations are dropped (the server guaranteed no effect); {@code
 * unknown} reads are dropped (they tell nothing); an {@code unknown} write may take effect at any
 * point after its invocation or never (its return time is treated as +infinity and it may be left
 * out).
 *
 * <p>The search prunes in three ways that keep the verdict exact (see {@code docs/chaos.md}): a
 * read that fits is taken at once, a write nobody read is placed only next to another write, and a
 * value still to be read is never overwritten for good. {@code BruteForceAgreementTest} holds the
 * search to the plain definition.
 */
public final class LinearizabilityChecker {
  /** Roughly 100-150 MB of memoised states for one key; correct histories need about one per op. */
  public static final long DEFAULT_MAX_STATES_PER_KEY = 1_000_000;

  /** The outcome for one key. A run passes only when every key is {@link #LINEARIZABLE}. */
  public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The search budget ran out before an answer; a runner must count it as a failure. */
    UNDECIDED
  }

  /**
   * The verdict for one key.
   *
   * @param operationsChecked operations left after dropping those that carry no information
   * @param statesExplored distinct (linearized set, value) states the search visited
   * @param explanation why, in words (empty when linearizable)
   * @param involved for a violation: the operation that could not be placed, the write whose value
   *     the register held then, and the writes of the value it returned or the reads still to
   *     return the value held
   */
  public record KeyResult(
      String key,
      Verdict verdict,
      int operationsChecked,
      long statesExplored,
      String explanation,
      List<Operation> involved) {
    public KeyResult {
      involved = List.copyOf(involved);
    }
  }

  /** Verdicts of every key of a history. */
  public record Report(SortedMap<String, KeyResult> keys) {
    public Report {
      keys = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(keys));
    }

    /** True only when every key is linearizable; an undecided key fails the run. */
    public boolean passed() {
      return keys.values().stream().allMatch(r -> r.verdict() == Verdict.LINEARIZABLE);
    }

    public List<KeyResult> failures() {
      return keys.values().stream().filter(r -> r.verdict() != Verdict.LINEARIZABLE).toList();
    }

    public String summary() {
      long undecided = keys.values().stream().filter(r -> r.verdict() == Verdict.UNDECIDED).count();
      StringBuilder b =
          new StringBuilder()
              .append(keys.size())
              .append(" keys: ")
              .append(keys.size() - failures().size())
              .append(" linearizable, ")
              .append(failures().size() - undecided)
              .append(" not linearizable, ")
              .append(undecided)
              .append(" undecided");
      for (KeyResult r : failures()) {
        b.append("\n- ").append(r.key()).append(": ").append(r.verdict());
        b.append(": ").append(r.explanation());
      }
      return b.toString();
    }
  }

  private final long maxStatesPerKey;

  public LinearizabilityChecker() {
    this(DEFAULT_MAX_STATES_PER_KEY);
  }

  public LinearizabilityChecker(long maxStatesPerKey) {
    if (maxStatesPerKey < 1) {
      throw new IllegalArgumentException("the search needs a budget of at least one state");
    }
    this.maxStatesPerKey = maxStatesPerKey;
  }

  public Report check(History history) {
    SortedMap<String, KeyResult> results = new TreeMap<>();
    history.byKey().forEach((key, ops) -> results.put(key, checkKey(key, ops)));
    return new Report(results);
  }

  /** Checks the operations of one key (all must be on {@code key}). */
  public KeyResult checkKey(String key, List<Operation> operations) {
    for (Operation op : operations) {
      if (!op.key().equals(key)) {
        throw new IllegalArgumentException(op.describe() + " is not on key " + key);
      }
    }
    return new Search(key, relevant(operations), maxStatesPerKey).run();
  }

  /**
   * Drops what cannot change the verdict. Besides failed operations and unknown reads, an unknown
   * write whose value no read returned goes too: had it taken effect, removing it from the
   * linearization changes no read's result, since no read sits between it and the next write.
   */
  private static List<Operation> relevant(List<Operation> operations) {
    Set<String> valuesRead =
        operations.stream()
            .filter(o -> o.isRead() && o.status() == Operation.Status.OK && o.value() != null)
            .map(Operation::value)
            .collect(Collectors.toSet());
    List<Operation> kept = new ArrayList<>();
    for (Operation op : operations) {
      boolean keep =
          switch (op.status()) {
            case OK -> true;
            case FAIL -> false;
            case UNKNOWN -> op.isWrite() && valuesRead.contains(op.value());
          };
      if (keep) {
        kept.add(op);
      }
    }
    // ids follow invocation order, so few ids below the highest linearized one are pending
    kept.sort(Comparator.comparingLong(Operation::invokeNanos));
    return kept;
  }

  /** A call or return event in the time-ordered, doubly linked event list. */
  private static final class Entry {
    final int id;
    final boolean call;
    final long time;
    Entry match; // a call's return and back; null for a call that may stay pending forever
    Entry prev;
    Entry next;

    Entry(int id, boolean call, long time) {
      this.id = id;
      this.call = call;
      this.time = time;
    }
  }

  /**
   * A memoised search state, exact and small: the linearized set is stored as its length (one past
   * the highest linearized id) and the ids below that still pending. Ids follow invocation order,
   * so the pending ones are the operations concurrent with the frontier (and unknown writes not yet
   * placed): a handful, however long the history.
   */
  private static final class StateKey {
    final int value;
    final int length;
    final int[] pending;
    final int hash;

    StateKey(int value, BitSet linearized) {
      this.value = value;
      this.length = linearized.length();
      int count = length - linearized.cardinality();
      this.pending = new int[count];
      for (int i = 0, id = linearized.nextClearBit(0); i < count; i++) {
        pending[i] = id;
        id = linearized.nextClearBit(id + 1);
      }
      this.hash = 31 * (31 * value + length) + Arrays.hashCode(pending);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StateKey k
          && k.hash == hash
          && k.value == value
          && k.length == length
          && Arrays.equals(k.pending, pending);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * One step on the current path: the operations it placed, the last being the one chosen. A forced
   * step is its node's last alternative: when it is undone, so is the node.
   */
  private record Frame(List<Entry> placed, int valueBefore, boolean forced) {}

  private static final class Search {
    private final String key;
    private final List<Operation> ops;
    private final long maxStates;
    private final int[] valueCode; // per op: the value written or returned; 0 = no value
    private final List<String> values = new ArrayList<>();
    private final Entry head = new Entry(-1, true, Long.MIN_VALUE);

    private final BitSet linearized;
    private final Set<StateKey> seen = new HashSet<>();
    private final Deque<Frame> calls = new ArrayDeque<>();
    private int state; // the register's value code after the operations on the path
    private int requiredDone; // acknowledged operations on the path
    private Entry entry; // the next candidate to try at the current node
    private boolean exhausted;
    private final boolean[] unread; // a write whose value no read returned
    private final int[] readersLeft; // per value code: reads of it not yet linearized
    private final int[] writersLeft; // per value code: writes of it not yet linearized

    private int bestDepth = -1;
    private Operation blocked;
    private int blockedValue;
    private boolean blockedValueReadLater;
    private BitSet placedAtBest;
    private List<Operation> bestPrefixTail = List.of();
    private Operation bestLastWrite;

    Search(String key, List<Operation> ops, long maxStates) {
      this.key = key;
      this.ops = ops;
      this.maxStates = maxStates;
      this.valueCode = new int[ops.size()];
      this.linearized = new BitSet(ops.size());
      this.unread = new boolean[ops.size()];
      Map<String, Integer> codes = new HashMap<>();
      values.add(null);
      for (int i = 0; i < ops.size(); i++) {
        String v = ops.get(i).value();
        if (v != null) {
          valueCode[i] =
              codes.computeIfAbsent(
                  v,
                  x -> {
                    values.add(x);
                    return values.size() - 1;
                  });
        }
      }
      Set<Integer> read = new HashSet<>();
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i).isRead()) {
          read.add(valueCode[i]);
        }
      }
      readersLeft = new int[values.size()];
      writersLeft = new int[values.size()];
      for (int i = 0; i < ops.size(); i++) {
        unread[i] = ops.get(i).isWrite() && !read.contains(valueCode[i]);
        count(i, +1);
      }
      List<Entry> events = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        Operation op = ops.get(i);
        Entry call = new Entry(i, true, op.invokeNanos());
        events.add(call);
        if (op.status() == Operation.Status.OK) {
          call.match = new Entry(i, false, op.returnNanos());
          call.match.match = call;
          events.add(call.match);
        }
      }
      // at equal times calls come first: touching operations count as concurrent, which can only
      // make the checker more permissive, never report a violation that is not there
      events.sort(
          Comparator.comparingLong((Entry e) -> e.time)
              .thenComparing(e -> !e.call)
              .thenComparingInt(e -> e.id));
      Entry last = head;
      for (Entry e : events) {
        last.next = e;
        e.prev = last;
        last = e;
      }
    }

    KeyResult run() {
      int required = 0;
      for (Entry e = head.next; e != null; e = e.next) {
        if (!e.call) {
          required++;
        }
      }
      boolean atNewNode = true;
      while (requiredDone < required) {
        List<Entry> placed;
        boolean forced;
        if (atNewNode) {
          atNewNode = false;
          entry = head.next;
          Entry read = readThatFits();
          if (read != null) {
            // a read that can take effect now may as well: it changes nothing, and any valid
            // order that places it later stays valid with it moved here; so it is the only child
            if (descend(List.of(read), true)) {
              atNewNode = true;
            } else if (exhausted) {
              return undecided();
            } else if (!backtrack(null)) { // that child was explored already
              return violation();
            }
            continue;
          }
        }
        if (entry != null && entry.call) {
          Entry candidate = entry;
          entry = entry.next;
          if (unread[candidate.id]) {
            continue; // placed only along with another write, or when it returns (below)
          }
          if (ops.get(candidate.id).isRead()) {
            continue; // a read that fits was taken at the node's start; this one does not
          }
          placed = withUnreadWritesBefore(candidate);
          forced = false;
        } else if (entry != null && unread[entry.id]) {
          // an unread write returns before any other write came to overwrite it: it must take
          // effect now, and only a write may follow it; the node's last alternative
          placed = List.of(entry.match);
          forced = true;
        } else {
          if (!backtrack(entry)) {
            return violation();
          }
          continue;
        }
        if (descend(placed, forced)) {
          atNewNode = true;
        } else if (exhausted) {
          return undecided();
        } else if (forced && !backtrack(entry != null && !entry.call ? entry : null)) {
          return violation();
        }
      }
      // every acknowledged operation is placed; unknown writes still pending never took effect
      return result(Verdict.LINEARIZABLE, seen.size(), "", List.of());
    }

    /**
     * Places {@code placed} (calls, in order) as one step. False if the resulting state was seen
     * before (the search from it failed already) or the budget ran out ({@link #exhausted}).
     */
    private boolean descend(List<Entry> placed, boolean forced) {
      if (ops.get(placed.get(0).id).isWrite()
          && readersLeft[state] > 0
          && writersLeft[state] == 0) {
        // a read still to come returns the value the register holds, and no write left can
        // bring that value back: overwriting it now cannot lead anywhere
        return false;
      }
      int next = state;
      for (Entry e : placed) {
        next = step(next, e.id);
        linearized.set(e.id);
      }
      if (!seen.add(new StateKey(next, linearized))) {
        placed.forEach(e -> linearized.clear(e.id));
        return false;
      }
      if (seen.size() > maxStates) {
        exhausted = true;
        return false;
      }
      calls.push(new Frame(placed, state, forced));
      state = next;
      for (Entry e : placed) {
        if (e.match != null) {
          requiredDone++;
        }
        lift(e);
      }
      return true;
    }

    /**
     * A write that no read returned only ever shows as the value some later write overwrote before
     * anyone looked. So it can always be placed just before the first other write placed after it
     * was invoked (or when it returns, if no write comes first): the search never branches on where
     * it goes. This is what keeps busy registers with many overwritten values tractable.
     */
    private List<Entry> withUnreadWritesBefore(Entry write) {
      List<Entry> placed = new ArrayList<>();
      for (Entry e = head.next; e != null && e.call; e = e.next) {
        if (unread[e.id]) {
          placed.add(e);
        }
      }
      placed.add(write);
      return placed;
    }

    /** A read invoked and not yet returned (before any pending return) that reads the register. */
    private Entry readThatFits() {
      for (Entry e = head.next; e != null && e.call; e = e.next) {
        if (ops.get(e.id).isRead() && valueCode[e.id] == state) {
          return e;
        }
      }
      return null;
    }

    /**
     * An operation returned before it could be linearized (at {@code blockedAt}), or a node ran out
     * of children: undo choices up to the latest one that has an alternative, and point {@link
     * #entry} at that alternative. False when no choice is left.
     */
    private boolean backtrack(Entry blockedAt) {
      if (blockedAt != null && calls.size() > bestDepth) {
        remember(blockedAt);
      }
      while (!calls.isEmpty()) {
        Frame top = calls.pop();
        state = top.valueBefore();
        List<Entry> placed = top.placed();
        for (int i = placed.size() - 1; i >= 0; i--) {
          Entry e = placed.get(i);
          linearized.clear(e.id);
          if (e.match != null) {
            requiredDone--;
          }
          unlift(e);
        }
        if (!top.forced()) {
          entry = placed.get(placed.size() - 1).next;
          return true;
        }
      }
      return false;
    }

    private KeyResult undecided() {
      return result(
          Verdict.UNDECIDED,
          seen.size(),
          "search budget of "
              + maxStates
              + " states exhausted; the deepest partial linearization placed "
              + Math.max(bestDepth, calls.size())
              + " of "
              + ops.size()
              + " operations",
          List.of());
    }

    /** The register's transition: the value after the operation, or -1 if it cannot happen now. */
    private int step(int state, int id) {
      if (ops.get(id).isWrite()) {
        return valueCode[id];
      }
      return valueCode[id] == state ? state : -1;
    }

    private void lift(Entry e) {
      count(e.id, -1);
      e.prev.next = e.next;
      if (e.next != null) {
        e.next.prev = e.prev;
      }
      Entry m = e.match;
      if (m != null) {
        m.prev.next = m.next;
        if (m.next != null) {
          m.next.prev = m.prev;
        }
      }
    }

    private void count(int id, int delta) {
      if (ops.get(id).isWrite()) {
        writersLeft[valueCode[id]] += delta;
      } else {
        readersLeft[valueCode[id]] += delta;
      }
    }

    private void unlift(Entry e) {
      count(e.id, +1);
      Entry m = e.match;
      if (m != null) {
        m.prev.next = m;
        if (m.next != null) {
          m.next.prev = m;
        }
      }
      e.prev.next = e;
      if (e.next != null) {
        e.next.prev = e;
      }
    }

    private void remember(Entry blockedAt) {
      bestDepth = calls.size();
      blocked = ops.get(blockedAt.id);
      blockedValue = state;
      blockedValueReadLater = readersLeft[state] > 0 && writersLeft[state] == 0;
      placedAtBest = (BitSet) linearized.clone();
      List<Operation> tail = new ArrayList<>();
      bestLastWrite = null;
      outer:
      for (Frame f : calls) { // most recent first
        for (int i = f.placed().size() - 1; i >= 0; i--) {
          Operation op = ops.get(f.placed().get(i).id);
          if (tail.size() < 3) {
            tail.add(0, op);
          }
          if (op.isWrite()) {
            bestLastWrite = op;
            break outer;
          }
        }
      }
      bestPrefixTail = tail;
    }

    private KeyResult violation() {
      long states = seen.size();
      if (blocked == null) {
        return result(
            Verdict.NOT_LINEARIZABLE, states, "no operation can be linearized first", List.of());
      }
      Set<Operation> involved = new LinkedHashSet<>();
      involved.add(blocked);
      StringBuilder why =
          new StringBuilder("no linearization exists: the longest valid order places ")
              .append(bestDepth)
              .append(" of ")
              .append(ops.size())
              .append(" operations");
      if (!bestPrefixTail.isEmpty()) {
        why.append(" (last: ")
            .append(
                bestPrefixTail.stream().map(Operation::describe).collect(Collectors.joining(", ")))
            .append(")");
      }
      why.append(", then ")
          .append(blocked.describe())
          .append(" must take effect before it returns, but the register holds ")
          .append(describeValue(blockedValue));
      if (bestLastWrite != null) {
        involved.add(bestLastWrite);
        why.append(" (").append(bestLastWrite.describe()).append(")");
      }
      if (blocked.isRead()) {
        List<Operation> sources =
            ops.stream()
                .filter(o -> o.isWrite() && Objects.equals(o.value(), blocked.value()))
                .limit(3)
                .toList();
        involved.addAll(sources);
        if (blocked.value() == null) {
          why.append(" and it read no value");
        } else if (sources.isEmpty()) {
          why.append(" and no write that may have taken effect wrote the value it read");
        } else {
          why.append(" and no order of the operations concurrent with it lets it read ")
              .append(JsonLine.quote(blocked.value()))
              .append(" (written by ")
              .append(sources.stream().map(Operation::describe).collect(Collectors.joining("; ")))
              .append(")");
        }
      }
      if (blockedValueReadLater) {
        // the latest-invoked pending readers first: a stale read tends to come long after
        List<Operation> readers = new ArrayList<>();
        for (int i = ops.size() - 1; i >= 0 && readers.size() < 3; i--) {
          if (ops.get(i).isRead() && valueCode[i] == blockedValue && !placedAtBest.get(i)) {
            readers.add(ops.get(i));
          }
        }
        involved.addAll(readers);
        why.append(blocked.isRead() ? "; it may not be overwritten" : ", which it would overwrite")
            .append(" while ")
            .append(readers.stream().map(Operation::describe).collect(Collectors.joining("; ")))
            .append(readers.size() == 1 ? " has" : " have")
            .append(" yet to read it");
      } else if (blocked.isWrite()) {
        why.append(" and every order of the operations concurrent with it fails later");
      }
      return result(Verdict.NOT_LINEARIZABLE, states, why.toString(), List.copyOf(involved));
    }

    private String describeValue(int code) {
      return code == 0 ? "no value" : JsonLine.quote(values.get(code));
    }

    private KeyResult result(
        Verdict verdict, long states, String explanation, List<Operation> involved) {
      return new KeyResult(key, verdict, ops.size(), states, explanation, involved);
    }
  }
}
