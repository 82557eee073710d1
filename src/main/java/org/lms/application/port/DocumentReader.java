package org.lms.application.port;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Plain text out of an uploaded file (PDF, plain text, Markdown), page by page. */
public interface DocumentReader {

  /** Whether files of this name and media type can be read at all. */
  boolean canRead(String fileName, String mediaType);

  /**
   * The text of the document, one entry per page (a single entry for formats without pages).
   *
   * @throws UnreadableDocumentException when the format is not supported or the file is damaged
   */
  List<PageText> read(String fileName, String mediaType, InputStream in) throws IOException;

  /** The text of one page; {@code page} is 1-based, or 0 for formats without pages. */
  record PageText(int page, String text) {}

  /** The file's text cannot be extracted; the message says why, for the user. */
  final class UnreadableDocumentException extends RuntimeException {
    public UnreadableDocumentException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
