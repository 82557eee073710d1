package org.lms.infrastructure.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.lms.application.port.DocumentReader;

/**
 * Reads PDF with PDFBox, one entry per page, and plain text and Markdown as UTF-8, one entry with
 * page 0. Material is uploaded by instructors but may be any file, so the work is bounded: at most
 * {@code maxChars} characters come out (the rest of a longer document is dropped), and PDFBox may
 * decode streams into a limited amount of memory and temporary disk only, so a compressed "bomb"
 * fails as unreadable instead of exhausting the node.
 */
public final class PdfAndTextReader implements DocumentReader {

  /** About a thousand pages of dense text; far above a course handout, far below the heap. */
  public static final int DEFAULT_MAX_CHARS = 4 * 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(PdfAndTextReader.class.getName());
  private static final long PDF_MEMORY_BYTES = 32L * 1024 * 1024;
  private static final long PDF_STORAGE_BYTES = 256L * 1024 * 1024;

  private final int maxChars;

  public PdfAndTextReader() {
    this(DEFAULT_MAX_CHARS);
  }

  /** A reader that returns at most {@code maxChars} characters of any one document. */
  public PdfAndTextReader(int maxChars) {
    if (maxChars <= 0) {
      throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
    }
    this.maxChars = maxChars;
  }

  @Override
  public boolean canRead(String fileName, String mediaType) {
    return DocumentFormat.of(fileName, mediaType).isPresent();
  }

  @Override
  public List<PageText> read(String fileName, String mediaType, InputStream in) throws IOException {
    DocumentFormat format =
        DocumentFormat.of(fileName, mediaType)
            .orElseThrow(
                () ->
                    new UnreadableDocumentException(
                        "'"
                            + fileName
                            + "' ("
                            + mediaType
                            + ") is not a format the assistant can read; use PDF, plain text or"
                            + " Markdown",
                        null));
    return switch (format) {
      case PDF -> readPdf(fileName, in);
      case PLAIN_TEXT, MARKDOWN -> List.of(new PageText(0, readUtf8(in)));
    };
  }

  private List<PageText> readPdf(String fileName, InputStream in) throws IOException {
    // read first, so a failing blob stream stays an IOException and only parsing is "unreadable"
    RandomAccessReadBuffer bytes = RandomAccessReadBuffer.createBufferFromStream(in);
    PagedText text = new PagedText(maxChars);
    try (PDDocument doc =
        Loader.loadPDF(
            bytes,
            MemoryUsageSetting.setupMixed(PDF_MEMORY_BYTES, PDF_STORAGE_BYTES).streamCache)) {
      PageStripper stripper = new PageStripper(text);
      try {
        stripper.writeText(doc, text);
      } catch (TextLimitReached full) {
        stripper.endCurrentPage();
        LOG.info(
            () -> "kept the first " + maxChars + " characters of '" + fileName + "', dropped more");
      }
    } catch (InvalidPasswordException e) {
      throw new UnreadableDocumentException(
          "'" + fileName + "' is protected by a password, so its text cannot be read", e);
    } catch (IOException | RuntimeException e) {
      throw new UnreadableDocumentException(
          "'" + fileName + "' is not a readable PDF (" + e.getMessage() + ")", e);
    }
    return text.pages();
  }

  private String readUtf8(InputStream in) throws IOException {
    // replace bad bytes instead of failing: a Latin-1 note is still mostly readable
    Reader reader =
        new InputStreamReader(
            in,
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    int n;
    while (text.length() < maxChars
        && (n = reader.read(buffer, 0, Math.min(buffer.length, maxChars - text.length()))) != -1) {
      text.append(buffer, 0, n);
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text.deleteCharAt(0);
    }
    return text.toString().replace("\r\n", "\n").replace('\r', '\n');
  }

  /**
   * Collects the stripper's output page by page. It is the stripper's writer, so it also enforces
   * the character budget: once full it throws, which ends the extraction without reading further
   * pages.
   */
  private static final class PagedText extends Writer {
    private final List<PageText> pages = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private int remaining;

    PagedText(int maxChars) {
      this.remaining = maxChars;
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
      int kept = Math.min(len, remaining);
      current.append(chars, off, kept);
      remaining -= kept;
      if (kept < len) {
        throw new TextLimitReached();
      }
    }

    void endPage(int page) {
      pages.add(new PageText(page, current.toString()));
      current.setLength(0);
    }

    List<PageText> pages() {
      return List.copyOf(pages);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** The character budget is spent; not an error, the text so far is kept. */
  private static final class TextLimitReached extends IOException {
    TextLimitReached() {
      super("text limit reached");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control flow, not a failure: no stack to record
    }
  }

  /** Hands each finished page, numbered from 1, to the {@link PagedText}. */
  private static final class PageStripper extends PDFTextStripper {
    private final PagedText text;
    private boolean pageOpen;

    PageStripper(PagedText text) {
      this.text = text;
      setLineSeparator("\n");
      // a blank line between the paragraphs PDFBox detects, so passages can follow them
      setParagraphEnd("\n");
      setSortByPosition(true);
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
      pageOpen = true;
      super.startPage(page);
    }

    @Override
    protected void endPage(PDPage page) throws IOException {
      super.endPage(page);
      endCurrentPage();
    }

    /** Closes the page being written, also when the budget ran out in the middle of it. */
    void endCurrentPage() {
      if (pageOpen) {
        text.endPage(getCurrentPageNo());
        pageOpen = false;
      }
    }
  }
}
