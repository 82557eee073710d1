package org.lms.testing.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.testing.chaos.LinearizabilityChecker.KeyResult;
import org.lms.testing.chaos.LinearizabilityChecker.Verdict;

/** Large histories of a correct register pass within the budget; one stale read makes them fail. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RandomHistoryTest {
  /** Far below the default: a correct history must not need anywhere near the default budget. */
  private static final long BUDGET = 200_000;

  private final LinearizabilityChecker checker = new LinearizabilityChecker(BUDGET);

  @Test
  void thousandsOfOperationsOnOneRegisterWithTenClientsPass() {
    History history = new SimulatedRegisters(1, 10, 1).generate(4_000);

    var report = checker.check(history);

    assertThat(report.passed()).as(report.summary()).isTrue();
    assertThat(report.keys().get("k0").operationsChecked()).isEqualTo(4_000);
    assertThat(Anomalies.all(history)).isEmpty();
  }

  @Test
  void twentyClientsOnOneRegisterCostAboutOneStatePerOperation() {
    // without the search's pruning this exceeds millions of states; with it the cost is linear
    History history = new SimulatedRegisters(3, 20, 1).unknownRate(0.05).generate(10_000);

    KeyResult result = checker.check(history).keys().get("k0");

    assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(result.statesExplored()).isLessThan(3L * result.operationsChecked());
  }

  @Test
  void anOutageWhoseStuckWritesLandWhenItHealsPasses() {
    // the 10 clients issue about one operation per 60 time units: ~800 time out in the outage
    History history =
        new SimulatedRegisters(4, 10, 1).unknownRate(0.02).outage(20_000, 25_000).generate(6_000);

    KeyResult result = checker.check(history).keys().get("k0");

    assertThat(history.operations().stream().filter(o -> o.status() == Operation.Status.UNKNOWN))
        .hasSizeGreaterThan(500);
    assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(Anomalies.all(history)).isEmpty();
  }

  @Test
  void manyRegistersWithUnknownAndFailedOperationsPass() {
    for (long seed = 2; seed < 6; seed++) {
      History history =
          new SimulatedRegisters(seed, 10, 4).unknownRate(0.05).failRate(0.03).generate(5_000);

      var report = checker.check(history);

      assertThat(report.passed()).as("seed " + seed + ": " + report.summary()).isTrue();
      assertThat(Anomalies.all(history)).as("seed " + seed).isEmpty();
    }
  }

  @Test
  void oneReadMutatedToAStaleValueFails() {
    History correct = new SimulatedRegisters(11, 10, 1).generate(4_000);
    List<Operation> ops = new ArrayList<>(correct.operations());
    int victim = staleCandidate(ops, ops.size() / 2);
    Operation stale = ops.get(victim).withValue(olderValue(ops, victim));
    ops.set(victim, stale);
    History corrupted = History.of(ops);

    KeyResult result = checker.check(corrupted).keys().get("k0");

    assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.involved()).contains(stale);
    assertThat(Anomalies.staleReads(corrupted))
        .singleElement()
        .satisfies(a -> assertThat(a.operations().get(0)).isEqualTo(stale));
    assertThat(Anomalies.phantomReads(corrupted)).isEmpty();
  }

  @Test
  void aStaleReadAmongMostlyWritesIsFoundWithinTheBudget() {
    // proving a violation means exhausting every order up to it: without the search's handling of
    // writes nobody read, this history alone takes millions of states
    History correct = new SimulatedRegisters(13, 10, 1).writeRate(0.9).generate(10_000);
    List<Operation> ops = new ArrayList<>(correct.operations());
    int victim = staleCandidate(ops, ops.size() / 2);
    ops.set(victim, ops.get(victim).withValue(olderValue(ops, victim)));

    KeyResult result = checker.check(History.of(ops)).keys().get("k0");

    assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.involved()).contains(ops.get(victim));
  }

  @Test
  void aMutatedReadOnOneKeyFailsOnlyThatKey() {
    History correct = new SimulatedRegisters(12, 10, 3).generate(3_000);
    List<Operation> ops = new ArrayList<>(correct.operations());
    int victim = staleCandidate(ops, ops.size() / 3);
    String key = ops.get(victim).key();
    ops.set(victim, ops.get(victim).withValue(olderValue(ops, victim)));

    var report = checker.check(History.of(ops));

    assertThat(report.failures())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo(key);
              assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
            });
  }

  /** The first ok read from {@code from} on for which {@link #olderValue} exists. */
  private static int staleCandidate(List<Operation> ops, int from) {
    for (int i = from; i < ops.size(); i++) {
      if (ops.get(i).isRead() && olderValue(ops, i) != null) {
        return i;
      }
    }
    throw new AssertionError("no read can be made stale");
  }

  /**
   * The latest value certainly overwritten before read {@code i} began: written by a write W that
   * returned before another acknowledged write W2 began, W2 having returned before the read began.
   * Barely stale, as replicas lag: the hardest kind to prove.
   */
  private static String olderValue(List<Operation> ops, int i) {
    Operation read = ops.get(i);
    for (int j = i - 1; j >= 0; j--) {
      Operation w = ops.get(j);
      if (!w.isWrite() || w.status() != Operation.Status.OK || !w.key().equals(read.key())) {
        continue;
      }
      for (Operation w2 : ops) {
        if (w2.isWrite()
            && w2.status() == Operation.Status.OK
            && w2.key().equals(read.key())
            && w2.invokeNanos() > w.returnNanos()
            && w2.returnNanos() < read.invokeNanos()
            && !w.value().equals(read.value())) {
          return w.value();
        }
      }
    }
    return null;
  }
}
