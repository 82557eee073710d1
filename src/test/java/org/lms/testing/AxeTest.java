package org.lms.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AxeTest {

  @Test
  void readsEachViolationWithItsImpactAndWhereItIs() {
    String json =
        """
        [{"id":"label","impact":"critical","help":"Form elements must have labels",
          "nodes":[{"target":["#create\\\\:username"]},{"target":["iframe","#x"]}]},
         {"id":"region","impact":null,"help":"Content in landmarks","nodes":[]}]
        """;

    var violations = Axe.parse(json);

    assertThat(violations).hasSize(2);
    assertThat(violations.get(0).rule()).isEqualTo("label");
    assertThat(violations.get(0).impact()).isEqualTo("critical");
    assertThat(violations.get(0).targets()).hasSize(2);
    assertThat(violations.get(0).toString()).contains("critical label").contains("username");
    assertThat(violations.get(1).impact()).isEqualTo("none");
  }

  @Test
  void aFailedRunIsAnErrorNotAPass() {
    assertThatThrownBy(() -> Axe.parse("{\"error\":\"axe is not defined\"}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("axe is not defined");
  }
}
