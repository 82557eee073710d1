package org.lms.testing.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.chaos.Operation.Status.FAIL;
import static org.lms.testing.chaos.Operation.Status.OK;
import static org.lms.testing.chaos.Operation.Status.UNKNOWN;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lms.testing.chaos.ChaosResult.FaultResult;

class ChaosReportTest {
  private static final long MS = 1_000_000;

  @Test
  void theLongestStretchWithoutAnAcknowledgedWriteCountsFromInjectionToTheEnd() {
    var ops =
        List.of(
            Operation.write("a", "k", "1", 0, 100 * MS, OK),
            Operation.write("a", "k", "2", 100 * MS, 400 * MS, OK),
            Operation.write("b", "k", "3", 100 * MS, 3_000 * MS, UNKNOWN),
            Operation.read("c", "k", "2", 500 * MS, 2_000 * MS, OK),
            Operation.write("a", "k", "4", 400 * MS, 2_500 * MS, OK),
            Operation.write("a", "k", "5", 2_500 * MS, 2_600 * MS, FAIL));

    // acknowledged writes at 100 (before the window), 400 and 2500 ms; reads and failures don't
    // count
    assertThat(ChaosReport.longestWithoutWrite(ops, 200 * MS, 3_000 * MS))
        .isEqualTo(Duration.ofMillis(2_100));
    // nothing acknowledged at all in the window: all of it
    assertThat(ChaosReport.longestWithoutWrite(ops, 2_600 * MS, 5_000 * MS))
        .isEqualTo(Duration.ofMillis(2_400));
  }

  @Test
  void aFaultWithTooFewOperationsAroundItIsNotAValidTest() {
    FaultEpisode episode = episode(0, 1_000, 2_000, 3_000, 4_000, List.of());
    var ops = new ArrayList<Operation>();
    for (int i = 0; i < 5; i++) {
      ops.add(Operation.write("c" + i, "k", "v" + i, (10 + i) * MS, (20 + i) * MS, OK));
    }

    FaultResult result = ChaosReport.judge(episode, ops, List.of(), List.of());

    assertThat(result.passed()).isFalse();
    assertThat(result.problems())
        .anyMatch(p -> p.contains("acknowledged before the fault"))
        .anyMatch(p -> p.contains("begun while the fault lasted"))
        .anyMatch(p -> p.contains("acknowledged after recovery"));
  }

  @Test
  void aBusyFaultWithoutViolationsPasses() {
    FaultEpisode episode = episode(0, 1_000, 2_000, 3_000, 4_000, List.of());
    List<Operation> ops = steadyWrites(0, 4_000);

    FaultResult result = ChaosReport.judge(episode, ops, List.of(), List.of());

    assertThat(result.problems()).isEmpty();
    assertThat(result.okBefore()).isGreaterThanOrEqualTo(ChaosReport.MIN_OK_BEFORE);
    assertThat(result.longestUnavailable()).isLessThan(Duration.ofMillis(20));
  }

  @Test
  void aViolationIsChargedToTheFaultWhoseWindowHoldsItsOperations() {
    FaultEpisode first = episode(0, 1_000, 2_000, 3_000, 4_000, List.of());
    FaultEpisode second = episode(4_000, 5_000, 6_000, 7_000, 8_000, List.of());
    List<Operation> ops = new ArrayList<>(steadyWrites(0, 8_000));
    Operation stale = Operation.read("c9@n2", "k", "w-0", 6_500 * MS, 6_510 * MS, OK);
    ops.add(stale);
    var anomaly =
        new Anomaly(Anomaly.Kind.STALE_READ, "k", "read an overwritten value", List.of(stale));

    assertThat(ChaosReport.judge(first, ops, List.of(), List.of(anomaly)).passed()).isTrue();
    FaultResult charged = ChaosReport.judge(second, ops, List.of(), List.of(anomaly));
    assertThat(charged.passed()).isFalse();
    assertThat(charged.violations()).singleElement().asString().contains("STALE_READ");
  }

  @Test
  void anEpisodesOwnProblemsFailIt() {
    FaultEpisode episode =
        episode(0, 1_000, 2_000, 3_000, 4_000, List.of("no new leader was elected"));

    assertThat(ChaosReport.judge(episode, steadyWrites(0, 4_000), List.of(), List.of()).problems())
        .containsExactly("no new leader was elected");
  }

  @Test
  void theReportListsEveryFaultInMarkdownAndValidJsonStrings() {
    var history = History.of(steadyWrites(0, 4_000));
    history.append(Operation.read("final", "k", "w-3999", 4_100 * MS, 4_200 * MS, OK));
    var episodes = new ArrayList<FaultEpisode>();
    for (FaultKind kind : FaultKind.values()) {
      episodes.add(
          new FaultEpisode(
              kind.ordinal() + 1,
              kind,
              "n1 \"quoted\"\nline",
              0,
              1_000 * MS,
              2_000 * MS,
              3_000 * MS,
              4_000 * MS,
              "n1",
              "n2",
              "n2",
              Duration.ofSeconds(30),
              List.of("a note"),
              List.of()));
    }

    ChaosResult result =
        ChaosReport.evaluate(
            ChaosProfile.bounded(7),
            Path.of("target/chaos/test"),
            history,
            episodes,
            Map.of("n1", "d", "n2", "d", "n3", "d"),
            Map.of("OK", 4_001L),
            List.of(),
            5_000 * MS);

    assertThat(result.passed()).as(result.summary()).isTrue();
    String markdown = ChaosReport.markdown(result);
    for (FaultKind kind : FaultKind.values()) {
      assertThat(markdown).contains(kind.description());
    }
    String json = ChaosReport.json(result);
    assertThat(json)
        .contains("\"passed\": true")
        .contains("\"target\": \"n1 \\\"quoted\\\"\\nline\"")
        .contains("\"fault\": \"RESTART_STORM\"")
        .doesNotContain("\n  \"faults\": [,");
  }

  private static List<Operation> steadyWrites(long fromMs, long toMs) {
    var ops = new ArrayList<Operation>();
    for (long t = fromMs; t < toMs; t++) {
      ops.add(Operation.write("c1", "k", "w-" + t, t * MS, t * MS + MS / 2, OK));
    }
    return ops;
  }

  private static FaultEpisode episode(
      long startMs,
      long injectMs,
      long healMs,
      long recoveredMs,
      long endMs,
      List<String> problems) {
    return new FaultEpisode(
        1,
        FaultKind.KILL_LEADER,
        "leader n1",
        startMs * MS,
        injectMs * MS,
        healMs * MS,
        recoveredMs * MS,
        endMs * MS,
        "n1",
        "n2",
        "n2",
        Duration.ofSeconds(30),
        List.of(),
        problems);
  }
}
