package org.lms.infrastructure.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a page of text into passages of roughly {@value #MIN_WORDS}-{@value #MAX_WORDS} words along
 * paragraph boundaries: long enough to carry an answer with its context, short enough that the
 * assistant's prompt holds several and that ranking points at the right part of a long page. In
 * Markdown every heading starts a new passage and names its section.
 */
final class Passages {

  static final int MIN_WORDS = 60;
  static final int MAX_WORDS = 150;

  /** An ATX heading ({@code ## Title}, optionally closed by {@code #}s). */
  private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** One passage and the heading it sits under (null outside Markdown or before any heading). */
  record Chunk(String section, String text) {}

  private Passages() {}

  /** The passages of {@code text}; headings are recognised only when {@code markdown}. */
  static List<Chunk> split(String text, boolean markdown) {
    Splitter splitter = new Splitter();
    boolean inCode = false;
    for (String line : text.split("\n", -1)) {
      if (markdown && FENCE.matcher(line).find()) {
        inCode = !inCode;
        splitter.line(line);
        continue;
      }
      Matcher heading = markdown && !inCode ? HEADING.matcher(line) : null;
      if (heading != null && heading.matches()) {
        splitter.section(heading.group(1).strip());
      } else if (line.isBlank() && !inCode) {
        splitter.endParagraph();
      } else {
        splitter.line(line.stripTrailing());
      }
    }
    splitter.section(null);
    return splitter.chunks;
  }

  static int words(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? 0 : WHITESPACE.split(stripped).length;
  }

  /** Collects lines into paragraphs and paragraphs into passages. */
  private static final class Splitter {
    final List<Chunk> chunks = new ArrayList<>();
    final StringBuilder paragraph = new StringBuilder();
    final List<String> passage = new ArrayList<>();
    int passageWords;
    String section;

    void line(String line) {
      if (!paragraph.isEmpty()) {
        paragraph.append('\n');
      }
      paragraph.append(line);
    }

    void endParagraph() {
      String text = paragraph.toString().strip();
      paragraph.setLength(0);
      if (text.isEmpty()) {
        return;
      }
      for (String piece : pieces(text)) {
        int words = words(piece);
        if (passageWords >= MIN_WORDS && passageWords + words > MAX_WORDS) {
          endPassage();
        }
        passage.add(piece);
        passageWords += words;
      }
    }

    void section(String heading) {
      endParagraph();
      endPassage();
      section = heading;
    }

    void endPassage() {
      if (!passage.isEmpty()) {
        chunks.add(new Chunk(section, String.join("\n\n", passage)));
      }
      passage.clear();
      passageWords = 0;
    }

    /** A paragraph longer than a passage, cut between sentences (or words, if it has none). */
    private static List<String> pieces(String paragraph) {
      if (words(paragraph) <= MAX_WORDS) {
        return List.of(paragraph);
      }
      List<String> pieces = new ArrayList<>();
      StringBuilder piece = new StringBuilder();
      int pieceWords = 0;
      for (String sentence : SENTENCE_END.split(paragraph)) {
        for (String part : byWords(sentence)) {
          int words = words(part);
          if (pieceWords > 0 && pieceWords + words > MAX_WORDS) {
            pieces.add(piece.toString());
            piece.setLength(0);
            pieceWords = 0;
          }
          if (!piece.isEmpty()) {
            piece.append(' ');
          }
          piece.append(part);
          pieceWords += words;
        }
      }
      if (!piece.isEmpty()) {
        pieces.add(piece.toString());
      }
      return pieces;
    }

    private static List<String> byWords(String sentence) {
      String[] words = WHITESPACE.split(sentence.strip());
      if (words.length <= MAX_WORDS) {
        return List.of(sentence.strip());
      }
      List<String> parts = new ArrayList<>();
      for (int from = 0; from < words.length; from += MAX_WORDS) {
        parts.add(
            String.join(
                " ", List.of(words).subList(from, Math.min(words.length, from + MAX_WORDS))));
      }
      return parts;
    }
  }
}
