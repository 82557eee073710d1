package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lms.domain.model.Submission;

class PortalPagesTest {

  @ParameterizedTest
  @CsvSource({"90, 90", "87.5, 87.5", "0, 0", "33.333333, 33.33", "99.999, 100", "0.1, 0.1"})
  void pointsAreShownAsPeopleWriteThem(double points, String shown) {
    assertThat(PortalPages.points(points)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"100, 110, 90.9 %", "90, 100, 90 %", "7, 10, 70 %", "0, 10, 0 %", "5, 0, ''"})
  void aShareIsShownToATenthOfAPercent(double earned, double possible, String shown) {
    assertThat(PortalPages.percent(earned, possible)).isEqualTo(shown);
  }

  @Test
  void eachStudentsNewestVersionCounts() {
    var t = Instant.parse("2026-11-01T10:00:00Z");
    var ada1 = new Submission("s1", "a", "c", "u-ada", 1, "f", 1, "text/plain", "x", t, false);
    var ada2 = new Submission("s2", "a", "c", "u-ada", 2, "f", 1, "text/plain", "x", t, true);
    var bob1 = new Submission("s3", "a", "c", "u-bob", 1, "f", 1, "text/plain", "x", t, false);

    assertThat(PortalPages.newestPerStudent(List.of(ada2, bob1, ada1)))
        .containsExactly(Map.entry("u-ada", ada2), Map.entry("u-bob", bob1));
  }
}
