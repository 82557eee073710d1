package org.lms.infrastructure.knowledge;

import java.util.Locale;
import java.util.Optional;

/**
 * The formats the knowledge index reads, told apart by media type or, when the browser sent none or
 * a generic one, by file extension. Kept in one place because the reader decides how to extract and
 * the index decides whether headings mean sections.
 */
enum DocumentFormat {
  PDF,
  PLAIN_TEXT,
  MARKDOWN;

  /** The format of a file with this name and media type, if it is one we read. */
  static Optional<DocumentFormat> of(String fileName, String mediaType) {
    Optional<DocumentFormat> byType = byMediaType(mediaType);
    Optional<DocumentFormat> byName = byExtension(fileName);
    if (byType.isEmpty()) {
      return byName;
    }
    // browsers often label a Markdown file text/plain; Markdown is plain text with headings
    if (byType.get() == PLAIN_TEXT && byName.equals(Optional.of(MARKDOWN))) {
      return byName;
    }
    return byType;
  }

  private static Optional<DocumentFormat> byMediaType(String mediaType) {
    if (mediaType == null) {
      return Optional.empty();
    }
    // "text/plain; charset=UTF-8" names the same format as "text/plain"
    String essence = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return switch (essence) {
      case "application/pdf" -> Optional.of(PDF);
      case "text/markdown", "text/x-markdown" -> Optional.of(MARKDOWN);
      case "text/plain" -> Optional.of(PLAIN_TEXT);
      default -> Optional.empty();
    };
  }

  private static Optional<DocumentFormat> byExtension(String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    String name = fileName.strip().toLowerCase(Locale.ROOT);
    if (name.endsWith(".pdf")) {
      return Optional.of(PDF);
    }
    if (name.endsWith(".md") || name.endsWith(".markdown")) {
      return Optional.of(MARKDOWN);
    }
    if (name.endsWith(".txt")) {
      return Optional.of(PLAIN_TEXT);
    }
    return Optional.empty();
  }
}
