package org.lms.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lms.infrastructure.security.ClusterSecret;

class OperatorAccessFilterTest {

  private final ClusterSecret secret = new ClusterSecret("the-operators-secret");

  @Test
  void passesTheSecret() {
    assertThat(OperatorAccessFilter.refusal(secret, "the-operators-secret")).isNull();
  }

  @Test
  void refusesAMissingSecretSayingWhereItGoes() {
    assertThat(OperatorAccessFilter.refusal(secret, null))
        .contains("cluster's operator")
        .contains(OperatorAccessFilter.HEADER);
    assertThat(OperatorAccessFilter.refusal(secret, "")).contains(OperatorAccessFilter.HEADER);
  }

  @Test
  void refusesAWrongSecretWithoutEchoingIt() {
    String refusal = OperatorAccessFilter.refusal(secret, "guess");
    assertThat(refusal).contains("wrong").doesNotContain("guess");
  }
}
