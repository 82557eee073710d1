package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
