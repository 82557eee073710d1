package org.lms.testing.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.chaos.Ops.X;
import static org.lms.testing.chaos.Ops.failedWrite;
import static org.lms.testing.chaos.Ops.history;
import static org.lms.testing.chaos.Ops.read;
import static org.lms.testing.chaos.Ops.unknownRead;
import static org.lms.testing.chaos.Ops.unknownWrite;
import static org.lms.testing.chaos.Ops.write;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.testing.chaos.Anomaly.Kind;
import org.lms.testing.chaos.LinearizabilityChecker.KeyResult;
import org.lms.testing.chaos.LinearizabilityChecker.Verdict;

/** Hand-made histories, each small enough to judge by eye. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private static KeyResult verdictOf(LinearizabilityChecker.Report report) {
    assertThat(report.keys()).containsOnlyKeys(X);
    return report.keys().get(X);
  }

  private void assertLinearizable(History history) {
    KeyResult result = verdictOf(checker.check(history));
    assertThat(result.verdict()).as(result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(Anomalies.all(history)).isEmpty();
  }

  private KeyResult assertNotLinearizable(History history) {
    var report = checker.check(history);
    KeyResult result = verdictOf(report);
    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(report.passed()).isFalse();
    return result;
  }

  // ---- linearizable histories pass

  @Test
  void anEmptyHistoryAndASequentialOneAreLinearizable() {
    assertThat(checker.check(new History()).passed()).isTrue();
    assertLinearizable(
        history(
            read("c1", null, 0, 5),
            write("c1", "1", 10, 20),
            read("c2", "1", 30, 40),
            write("c2", "2", 50, 60),
            read("c1", "2", 70, 80)));
  }

  @Test
  void overlappingWritesMayBeReadInEitherOrder() {
    for (String[] order : new String[][] {{"1", "2"}, {"2", "1"}}) {
      assertLinearizable(
          history(
              write("c1", "1", 0, 100),
              write("c2", "2", 0, 100),
              read("c3", order[0], 10, 20),
              read("c3", order[1], 30, 40),
              read("c4", order[1], 150, 160)));
    }
  }

  @Test
  void aReadConcurrentWithAWriteMaySeeTheOldOrTheNewValue() {
    assertLinearizable(
        history(
            write("c1", "1", 0, 10),
            write("c1", "2", 20, 100),
            read("c2", "1", 30, 40),
            read("c3", "2", 30, 40),
            read("c2", "2", 50, 60)));
  }

  @Test
  void anUnknownWriteThatTookEffectIsLinearizable() {
    assertLinearizable(
        history(
            write("c1", "1", 0, 10),
            unknownWrite("c2", "2", 20, 30),
            read("c3", "2", 40, 50),
            read("c3", "2", 60, 70)));
  }

  @Test
  void anUnknownWriteThatNeverTookEffectIsLinearizable() {
    assertLinearizable(
        history(
            write("c1", "1", 0, 10),
            unknownWrite("c2", "2", 20, 30),
            read("c3", "1", 40, 50),
            read("c3", "1", 60, 70)));
  }

  @Test
  void anUnknownWriteMayTakeEffectLongAfterItsClientGaveUp() {
    assertLinearizable(
        history(
            write("c1", "1", 0, 10),
            unknownWrite("c2", "2", 20, 30),
            read("c3", "1", 40, 50),
            read("c3", "1", 1_000, 1_010),
            read("c3", "2", 2_000, 2_010)));
  }

  @Test
  void failedWritesAndUnknownReadsCarryNoInformation() {
    assertLinearizable(
        history(
            write("c1", "1", 0, 10),
            failedWrite("c2", "2", 20, 30),
            unknownRead("c3", "nonsense", 40, 50),
            read("c3", "1", 60, 70)));
  }

  // ---- violations fail, with the right verdict and an explanation

  @Test
  void aStaleReadFails() {
    Operation first = write("c1", "1", 0, 10);
    Operation second = write("c1", "2", 20, 30);
    Operation stale = read("c2", "1", 40, 50);
    History history = history(first, second, stale);

    KeyResult result = assertNotLinearizable(history);

    assertThat(result.involved()).containsExactlyInAnyOrder(stale, second, first);
    assertThat(result.explanation()).contains(stale.describe(), second.describe());
    assertThat(Anomalies.staleReads(history))
        .singleElement()
        .satisfies(a -> assertThat(a.operations()).containsExactly(stale, first, second));
  }

  @Test
  void aLostWriteFails() {
    Operation kept = write("c1", "1", 0, 10);
    Operation lost = write("c2", "2", 20, 30);
    Operation finalRead = read("final", "1", 1_000, 1_010);
    History history = history(kept, read("c3", "2", 40, 50), lost, finalRead);

    assertNotLinearizable(history);

    assertThat(Anomalies.lostWrites(history))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(Kind.LOST_WRITE);
              assertThat(a.operations()).containsExactly(finalRead, kept, lost);
              assertThat(a.explanation()).contains("1 acknowledged write(s)", lost.describe());
            });
  }

  @Test
  void keysWithoutAFinalReadAreNamed() {
    History history =
        History.of(
            List.of(
                // a: read after every write returned: judged for lost writes
                Operation.write("c1", "a", "1", 0, 10, Operation.Status.OK),
                Operation.read("final", "a", "1", 100, 110, Operation.Status.OK),
                // b: the last read began before the write it overlaps returned
                Operation.write("c1", "b", "2", 0, 10, Operation.Status.OK),
                Operation.read("c2", "b", "2", 5, 20, Operation.Status.OK),
                // c: a write comes last
                Operation.read("c2", "c", null, 0, 5, Operation.Status.OK),
                Operation.write("c1", "c", "3", 10, 20, Operation.Status.OK)));

    assertThat(Anomalies.keysWithoutFinalRead(history)).containsExactly("b", "c");
  }

  @Test
  void aFinalReadOfNoValueLosesEveryAcknowledgedWrite() {
    History history =
        history(write("c1", "1", 0, 10), write("c2", "2", 5, 30), read("final", null, 100, 110));

    assertNotLinearizable(history);
    assertThat(Anomalies.lostWrites(history))
        .singleElement()
        .satisfies(a -> assertThat(a.explanation()).contains("found no value", "2 acknowledged"));
  }

  @Test
  void aPhantomValueFails() {
    Operation phantom = read("c2", "never-written", 20, 30);
    History history = history(write("c1", "1", 0, 10), phantom);

    KeyResult result = assertNotLinearizable(history);

    assertThat(result.involved()).startsWith(phantom);
    assertThat(Anomalies.phantomReads(history))
        .singleElement()
        .satisfies(a -> assertThat(a.explanation()).contains("no write ever wrote the value"));
  }

  @Test
  void readingTheValueOfAFailedWriteFails() {
    History history =
        history(write("c1", "1", 0, 10), failedWrite("c2", "2", 20, 30), read("c3", "2", 40, 50));

    assertNotLinearizable(history);
    assertThat(Anomalies.phantomReads(history))
        .singleElement()
        .satisfies(a -> assertThat(a.explanation()).contains("only by writes that failed"));
  }

  @Test
  void readingAValueBeforeItsWriteBeganFails() {
    History history = history(read("c1", "1", 0, 10), write("c2", "1", 20, 30));

    assertNotLinearizable(history);
    assertThat(Anomalies.phantomReads(history))
        .singleElement()
        .satisfies(a -> assertThat(a.explanation()).contains("began only after the read returned"));
  }

  @Test
  void aClientThatDoesNotReadItsOwnWriteFails() {
    Operation own = write("c1", "mine", 0, 10);
    Operation blind = read("c1", null, 20, 30);
    History history = history(own, blind);

    KeyResult result = assertNotLinearizable(history);

    assertThat(result.involved()).containsExactlyInAnyOrder(blind, own);
    assertThat(Anomalies.staleReads(history))
        .singleElement()
        .satisfies(a -> assertThat(a.operations()).containsExactly(blind, own));
  }

  @Test
  void readsThatGoBackwardsFail() {
    // the write of 2 overlaps both reads; once one read saw 2, a later read may not see 1
    History history =
        history(
            write("c1", "1", 0, 10),
            write("c1", "2", 20, 100),
            read("c2", "2", 30, 40),
            read("c3", "1", 50, 60));

    assertNotLinearizable(history);
    assertThat(Anomalies.staleReads(history))
        .singleElement()
        .extracting(Anomaly::kind)
        .isEqualTo(Kind.STALE_READ);
  }

  @Test
  void readsThatFlipBetweenTwoConcurrentWritesFailThoughNoCheapCheckSeesIt() {
    // either order of the two writes is fine, but not 1 then 2 then 1 again: only the search knows
    History history =
        history(
            write("c1", "1", 0, 100),
            write("c2", "2", 0, 100),
            read("c3", "1", 10, 20),
            read("c3", "2", 30, 40),
            read("c3", "1", 50, 60));

    assertNotLinearizable(history);
    assertThat(Anomalies.all(history)).isEmpty();
  }

  @Test
  void anUnknownWriteOnceSeenCannotBeUndone() {
    History history =
        history(
            write("c1", "1", 0, 10),
            unknownWrite("c2", "2", 20, 30),
            read("c3", "2", 40, 50),
            read("c3", "1", 60, 70));

    assertNotLinearizable(history);
    assertThat(Anomalies.staleReads(history)).hasSize(1);
  }

  @Test
  void keysAreJudgedIndependently() {
    List<Operation> ops = new ArrayList<>();
    ops.add(Operation.write("c1", "good", "1", 0, 10, Operation.Status.OK));
    ops.add(Operation.read("c2", "good", "1", 20, 30, Operation.Status.OK));
    ops.add(Operation.write("c1", "bad", "1", 0, 10, Operation.Status.OK));
    ops.add(Operation.read("c2", "bad", null, 20, 30, Operation.Status.OK));
    // the value 1 read on "good" must not excuse the read on "bad", nor the other way round
    var report = checker.check(History.of(ops));

    assertThat(report.keys().get("good").verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(report.keys().get("bad").verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(report.passed()).isFalse();
    assertThat(report.failures()).extracting(KeyResult::key).containsExactly("bad");
    assertThat(report.summary()).contains("2 keys: 1 linearizable, 1 not linearizable", "- bad:");
  }

  // ---- the search budget

  /**
   * Writes all concurrent, each read by a concurrent read, then two reads that no order of the
   * writes satisfies: the search must try every subset of the writes before it can say so.
   */
  private static History adversarial(int writes) {
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < writes; i++) {
      ops.add(write("w" + i, "v" + i, 0, 1_000));
      ops.add(read("r" + i, "v" + i, 0, 1_000));
    }
    ops.add(read("r", "v0", 2_000, 2_010));
    ops.add(read("r", "v1", 3_000, 3_010));
    return History.of(ops);
  }

  @Test
  void aSmallAdversarialHistoryIsDecided() {
    KeyResult result = new LinearizabilityChecker(100_000).checkKey(X, adversarial(6).operations());

    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.statesExplored()).isGreaterThanOrEqualTo(1 << 4);
  }

  @Test
  void exhaustingTheBudgetIsUndecidedAndFailsTheRun() {
    var report = new LinearizabilityChecker(20_000).check(adversarial(18));
    KeyResult result = report.keys().get(X);

    assertThat(result.verdict()).isEqualTo(Verdict.UNDECIDED);
    assertThat(result.statesExplored()).isEqualTo(20_001);
    assertThat(result.explanation()).contains("budget of 20000 states");
    assertThat(report.passed()).isFalse();
    assertThat(report.summary()).contains("1 undecided");
  }
}
