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
}
