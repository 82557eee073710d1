package org.lms.infrastructure.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonLinesTest {

  @Test
  void cutsLinesWhereverTheReadsEnd() {
    byte[] bytes = "{\"a\":\"ü\"}\n\n{\"b\":2}\r\n{\"c\":3}".getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= bytes.length; size++) {
      List<String> lines = new ArrayList<>();
      var splitter = new NdjsonLines(1024);
      for (int at = 0; at < bytes.length; at += size) {
        byte[] part = new byte[Math.min(size, bytes.length - at)];
        System.arraycopy(bytes, at, part, 0, part.length);
        splitter.feed(part, part.length, lines::add);
      }
      splitter.finish(lines::add);

      assertThat(lines)
          .as("reads of %d bytes", size)
          .containsExactly("{\"a\":\"ü\"}", "{\"b\":2}", "{\"c\":3}");
    }
  }

  @Test
  void refusesALineWithoutEnd() {
    var splitter = new NdjsonLines(10);
    byte[] bytes = "0123456789A".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> splitter.feed(bytes, bytes.length, line -> {}))
        .isInstanceOf(OllamaFailure.BadReply.class);
  }
}
