package org.lms.testing.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.testing.chaos.LinearizabilityChecker.Verdict;

/**
 * The checker's search prunes a lot (reads taken as soon as they fit, unread writes placed only
 * next to other writes, values still to be read never overwritten). Here it must agree, on
 * thousands of small random histories, with a search that applies the definition and nothing else;
 * and the cheap anomaly checks must never accuse a history that definition accepts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BruteForceAgreementTest {
  private static final String[] VALUES = {"a", "b", "c", "d", "e"};

  @Test
  void agreesWithTheDefinitionOnRandomHistories() {
    Random random = new Random(20260105);
    int linearizable = 0;
    int notLinearizable = 0;
    for (int round = 0; round < 6_000; round++) {
      List<Operation> ops = round % 2 == 0 ? arbitrary(random) : nearlyCorrect(random, round);
      boolean expected = Definition.linearizable(ops);

      var result = new LinearizabilityChecker().checkKey(ops.get(0).key(), ops);

      assertThat(result.verdict())
          .as("round %d: %s", round, ops)
          .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
      if (expected) {
        linearizable++;
        assertThat(Anomalies.all(History.of(ops))).as("round %d: %s", round, ops).isEmpty();
      } else {
        notLinearizable++;
      }
    }
    // both verdicts must be well represented, or the agreement proves little
    assertThat(linearizable).isGreaterThan(1_000);
    assertThat(notLinearizable).isGreaterThan(1_000);
  }

  /** Any intervals, values (some repeated, some never written), statuses. */
  private static List<Operation> arbitrary(Random random) {
    int n = 1 + random.nextInt(9);
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long invoke = random.nextInt(40);
      long ret = invoke + random.nextInt(25);
      int roll = random.nextInt(20);
      Operation.Status status =
          roll == 0
              ? Operation.Status.FAIL
              : roll < 4 ? Operation.Status.UNKNOWN : Operation.Status.OK;
      String value = VALUES[random.nextInt(VALUES.length)];
      if (random.nextBoolean()) {
        ops.add(Operation.write("c" + i, Ops.X, value, invoke, ret, status));
      } else {
        ops.add(
            Operation.read(
                "c" + i, Ops.X, random.nextInt(6) == 0 ? null : value, invoke, ret, status));
      }
    }
    return ops;
  }

  /** A correct history of a few operations, one read sometimes given another value. */
  private static List<Operation> nearlyCorrect(Random random, int seed) {
    List<Operation> ops =
        new ArrayList<>(
            new SimulatedRegisters(seed, 2 + random.nextInt(4), 1)
                .unknownRate(0.15)
                .failRate(0.05)
                .generate(2 + random.nextInt(9))
                .operations());
    if (random.nextBoolean()) {
      int i = random.nextInt(ops.size());
      if (ops.get(i).isRead() && ops.get(i).status() == Operation.Status.OK) {
        Operation other = ops.get(random.nextInt(ops.size()));
        ops.set(i, ops.get(i).withValue(other.isWrite() ? other.value() : null));
      }
    }
    return ops;
  }

  /**
   * Linearizability taken literally: some order of the operations that respects real time (an
   * operation that returned before another was invoked comes first) and the register's sequential
   * behaviour, containing every acknowledged operation and any subset of the unknown writes.
   */
  static final class Definition {
    private final List<Operation> ops = new ArrayList<>();
    private final Set<String> failed = new HashSet<>();

    static boolean linearizable(List<Operation> history) {
      Definition d = new Definition();
      for (Operation op : history) {
        boolean informative =
            op.status() == Operation.Status.OK
                || (op.status() == Operation.Status.UNKNOWN && op.isWrite());
        if (informative) {
          d.ops.add(op);
        }
      }
      return d.search(0L, null);
    }

    private boolean search(long placed, String register) {
      String key = placed + ":" + register;
      if (failed.contains(key)) {
        return false;
      }
      boolean allAcknowledgedPlaced = true;
      for (int i = 0; i < ops.size(); i++) {
        if ((placed & (1L << i)) == 0 && ops.get(i).status() == Operation.Status.OK) {
          allAcknowledgedPlaced = false;
        }
      }
      if (allAcknowledgedPlaced) {
        return true;
      }
      for (int i = 0; i < ops.size(); i++) {
        if ((placed & (1L << i)) != 0 || !mayComeNext(placed, i)) {
          continue;
        }
        Operation op = ops.get(i);
        if (op.isWrite() && search(placed | (1L << i), op.value())) {
          return true;
        }
        if (op.isRead()
            && Objects.equals(op.value(), register)
            && search(placed | (1L << i), register)) {
          return true;
        }
      }
      failed.add(key);
      return false;
    }

    /** Every acknowledged operation that returned before {@code i} was invoked is placed. */
    private boolean mayComeNext(long placed, int i) {
      for (int j = 0; j < ops.size(); j++) {
        Operation before = ops.get(j);
        if ((placed & (1L << j)) == 0
            && before.status() == Operation.Status.OK
            && before.returnNanos() < ops.get(i).invokeNanos()) {
          return false;
        }
      }
      return true;
    }
  }
}
