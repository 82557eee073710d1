package org.lms.infrastructure.ollama;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into NDJSON lines as the bytes arrive, whatever the chunk boundaries (a line
 * may span reads, a multi-byte character may be split between them). Blank lines are skipped; a
 * line longer than the limit is refused rather than buffered without end.
 */
final class NdjsonLines {
  private final int maxLineBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  NdjsonLines(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Takes {@code length} bytes and hands every line they complete to {@code lines}.
   *
   * @throws OllamaFailure.BadReply when a line grows past the limit
   */
  void feed(byte[] bytes, int length, Consumer<String> lines) {
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        emit(lines);
        start = i + 1;
      }
    }
    append(bytes, start, length - start);
  }

  /** Hands over a last line that had no newline after it (the stream ended). */
  void finish(Consumer<String> lines) {
    emit(lines);
  }

  private void append(byte[] bytes, int offset, int count) {
    if (line.size() + count > maxLineBytes) {
      throw new OllamaFailure.BadReply("a reply line longer than " + maxLineBytes + " bytes", null);
    }
    line.write(bytes, offset, count);
  }

  private void emit(Consumer<String> lines) {
    String text = line.toString(StandardCharsets.UTF_8).strip();
    line.reset();
    if (!text.isEmpty()) {
      lines.accept(text);
    }
  }
}
