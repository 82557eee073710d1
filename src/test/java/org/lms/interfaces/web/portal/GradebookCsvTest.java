package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GradebookCsvTest {

  @Test
  void aHeaderThenOneQuotedRowPerGrade() {
    String csv =
        GradebookCsv.write(
            List.of(
                List.of("ada", "Ada L.", "Essay", "90", "100", "true", "Well \"argued\", yes")));
    assertThat(csv)
        .isEqualTo(
            "\"student\",\"display_name\",\"assignment\",\"points\",\"max_points\",\"released\","
                + "\"feedback\"\r\n"
                + "\"ada\",\"Ada L.\",\"Essay\",\"90\",\"100\",\"true\",\"Well \"\"argued\"\", yes\"\r\n");
  }

  @Test
  void formulasStayText() {
    assertThat(GradebookCsv.field("=HYPERLINK(\"http://x\")"))
        .isEqualTo("'=HYPERLINK(\"http://x\")");
    assertThat(GradebookCsv.field("+1")).isEqualTo("'+1");
    assertThat(GradebookCsv.field("-1")).isEqualTo("'-1");
    assertThat(GradebookCsv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(GradebookCsv.field("90")).isEqualTo("90");
    assertThat(GradebookCsv.field("")).isEqualTo("");
  }
}
