package org.lms.infrastructure.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.Test;
import org.lms.application.port.DocumentReader.PageText;
import org.lms.application.port.DocumentReader.UnreadableDocumentException;

class PdfAndTextReaderTest {

  static final Path CORPUS = Path.of("src/test/resources/knowledge/corpus");

  private final PdfAndTextReader reader = new PdfAndTextReader();

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPdfGivesOnePageTextPerPageNumberedFromOne() throws IOException {
    List<PageText> pages;
    try (InputStream in = Files.newInputStream(CORPUS.resolve("newtons-laws.pdf"))) {
      pages = reader.read("newtons-laws.pdf", "application/pdf", in);
    }

    assertThat(pages).extracting(PageText::page).containsExactly(1, 2, 3);
    assertThat(pages.get(0).text()).contains("inertia").doesNotContain("F = m a");
    assertThat(pages.get(1).text()).contains("F = m a").doesNotContain("rocket");
    assertThat(pages.get(2).text()).contains("rocket");
  }

  @Test
  void pdfParagraphsAreSeparatedByABlankLine() throws IOException {
    String page;
    try (InputStream in = Files.newInputStream(CORPUS.resolve("photosynthesis.pdf"))) {
      page = reader.read("photosynthesis.pdf", "application/pdf", in).get(0).text();
    }

    assertThat(page.strip().split("\n\\s*\n")).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void markdownAndPlainTextAreOneEntryWithPageZero() throws IOException {
    assertThat(reader.read("notes.md", null, bytes("# Title\r\n\r\nSome text.\r\n")))
        .containsExactly(new PageText(0, "# Title\n\nSome text.\n"));
    assertThat(reader.read("notes", "text/plain; charset=utf-8", bytes("\uFEFFcaf\u00e9")))
        .containsExactly(new PageText(0, "caf\u00e9"));
  }

  @Test
  void theFormatComesFromTheMediaTypeOrElseTheExtension() {
    assertThat(reader.canRead("slides.pdf", "application/octet-stream")).isTrue();
    assertThat(reader.canRead("slides", "application/pdf")).isTrue();
    assertThat(reader.canRead("README.MARKDOWN", null)).isTrue();
    assertThat(reader.canRead("notes.txt", "")).isTrue();
    assertThat(reader.canRead("notes", "text/markdown")).isTrue();
    assertThat(reader.canRead("slides.pptx", "application/vnd.ms-powerpoint")).isFalse();
    assertThat(reader.canRead("photo.png", "image/png")).isFalse();
    assertThat(reader.canRead(null, null)).isFalse();
    assertThat(DocumentFormat.of("notes.md", "text/plain")).contains(DocumentFormat.MARKDOWN);
    assertThat(DocumentFormat.of("notes.txt", "application/pdf")).contains(DocumentFormat.PDF);
  }

  @Test
  void anUnsupportedFormatIsUnreadableAndSaysWhatIsSupported() {
    assertThatThrownBy(() -> reader.read("slides.pptx", "application/zip", bytes("PK")))
        .isInstanceOf(UnreadableDocumentException.class)
        .hasMessageContaining("slides.pptx")
        .hasMessageContaining("PDF, plain text or Markdown");
  }

  @Test
  void aDamagedPdfIsUnreadable() throws IOException {
    assertThatThrownBy(
            () -> reader.read("x.pdf", "application/pdf", bytes("%PDF-1.7\nnot really a pdf\n")))
        .isInstanceOf(UnreadableDocumentException.class)
        .hasMessageContaining("x.pdf")
        .hasMessageContaining("not a readable PDF");

    byte[] whole = Files.readAllBytes(CORPUS.resolve("photosynthesis.pdf"));
    byte[] head = Arrays.copyOf(whole, 200);
    assertThatThrownBy(
            () -> reader.read("cut.pdf", "application/pdf", new ByteArrayInputStream(head)))
        .isInstanceOf(UnreadableDocumentException.class);
  }

  @Test
  void aPasswordProtectedPdfIsUnreadable() throws IOException {
    ByteArrayOutputStream locked = new ByteArrayOutputStream();
    try (PDDocument doc = Loader.loadPDF(CORPUS.resolve("photosynthesis.pdf").toFile())) {
      StandardProtectionPolicy policy =
          new StandardProtectionPolicy("owner", "secret", new AccessPermission());
      policy.setEncryptionKeyLength(128);
      doc.protect(policy);
      doc.save(locked);
    }

    assertThatThrownBy(
            () ->
                reader.read(
                    "locked.pdf",
                    "application/pdf",
                    new ByteArrayInputStream(locked.toByteArray())))
        .isInstanceOf(UnreadableDocumentException.class)
        .hasMessageContaining("password");
  }

  @Test
  void theTextIsCutAtTheCharacterLimit() throws IOException {
    PdfAndTextReader small = new PdfAndTextReader(500);

    assertThat(small.read("long.txt", "text/plain", bytes("word ".repeat(1000))).get(0).text())
        .hasSize(500);
    List<PageText> pages;
    try (InputStream in = Files.newInputStream(CORPUS.resolve("newtons-laws.pdf"))) {
      pages = small.read("newtons-laws.pdf", "application/pdf", in);
    }
    assertThat(pages).hasSize(1);
    assertThat(pages.get(0).page()).isEqualTo(1);
    assertThat(pages.get(0).text()).hasSize(500).contains("Newton");
  }
}
