package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DownloadServletTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "essay.txt|essay.txt",
        "../../etc/passwd|passwd",
        "..\\..\\windows\\win.ini|win.ini",
        "/abs/path/notes.pdf|notes.pdf",
        "..|download",
        "'.hidden'|hidden",
        "'a\"b.txt'|ab.txt",
        "''|download"
      })
  void aStoredNameBecomesItsSafeLastSegment(String stored, String safe) {
    assertThat(DownloadServlet.safeName(stored)).isEqualTo(safe);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "essay.txt|attachment; filename=\"essay.txt\"; filename*=UTF-8''essay.txt",
        "../../etc/passwd|attachment; filename=\"passwd\"; filename*=UTF-8''passwd",
        "résumé final.pdf|attachment; filename=\"r_sum_ final.pdf\";"
            + " filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf",
      })
  void theHeaderIsAnAttachmentWithAnAsciiFallbackAndTheUtf8Name(String stored, String header) {
    assertThat(DownloadServlet.contentDisposition(stored)).isEqualTo(header);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"'evil\r\nSet-Cookie: x=y.txt'|evilSet-Cookie: x=y.txt"})
  void controlCharactersCannotSplitTheHeader(String stored, String safe) {
    assertThat(DownloadServlet.safeName(stored)).isEqualTo(safe);
    assertThat(DownloadServlet.contentDisposition(stored))
        .doesNotContain("\r")
        .doesNotContain("\n");
  }
}
