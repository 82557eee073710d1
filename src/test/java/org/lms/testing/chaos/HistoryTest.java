package org.lms.testing.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HistoryTest {

  @Test
  void survivesAFileRoundTripInAppendOrder(@TempDir Path dir) throws Exception {
    History history = new SimulatedRegisters(7, 4, 3).unknownRate(0.1).failRate(0.05).generate(500);
    Path file = dir.resolve("history.jsonl");

    history.writeTo(file);

    assertThat(Files.readAllLines(file)).hasSize(500).allMatch(l -> l.startsWith("{\"client\":"));
    assertThat(History.readFrom(file).operations()).isEqualTo(history.operations());
  }

  @Test
  void readingSkipsBlankLinesAndNamesTheLineOfABadOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("history.jsonl");
    String good = Ops.write("c1", "1", 0, 5).toJson();
    Files.writeString(file, good + "\n\n" + good + "\n{\"client\":\"c1\"}\n");

    assertThatThrownBy(() -> History.readFrom(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 4")
        .hasMessageContaining("missing field");

    Files.writeString(file, good + "\n\n" + good + "\n");
    assertThat(History.readFrom(file).size()).isEqualTo(2);
  }

  @Test
  void clientsAppendConcurrentlyWithoutLosingOrReorderingTheirOwnOperations() throws Exception {
    int clients = 8;
    int each = 2_000;
    History history = new History();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      String client = "c" + c;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < each; i++) {
                  history.append(
                      Operation.write(
                          client, "k" + (i % 5), client + "-" + i, i, i + 1, Operation.Status.OK));
                }
              });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }

    assertThat(history.size()).isEqualTo(clients * each);
    for (int c = 0; c < clients; c++) {
      String client = "c" + c;
      List<Long> times =
          history.operations().stream()
              .filter(o -> o.client().equals(client))
              .map(Operation::invokeNanos)
              .toList();
      assertThat(times).hasSize(each).isSorted();
    }
  }

  @Test
  void splitsByKeyKeepingAppendOrder() {
    History history =
        History.of(
            List.of(
                Operation.write("c1", "b", "1", 0, 1, Operation.Status.OK),
                Operation.write("c1", "a", "2", 2, 3, Operation.Status.OK),
                Operation.read("c2", "b", "1", 4, 5, Operation.Status.OK)));

    var keys = history.byKey();

    assertThat(keys.keySet()).containsExactly("a", "b");
    assertThat(keys.get("b")).extracting(Operation::invokeNanos).containsExactly(0L, 4L);
    assertThat(keys.get("a")).hasSize(1);
  }
}
