package org.lms.infrastructure.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterSecretTest {

  private final ClusterSecret secret = new ClusterSecret("a-secret-of-the-cluster");

  @Test
  void matchesOnlyTheSecretItself() {
    assertThat(secret.matches("a-secret-of-the-cluster")).isTrue();
    assertThat(secret.matches("a-secret-of-the-cluster ")).isFalse();
    assertThat(secret.matches("A-SECRET-OF-THE-CLUSTER")).isFalse();
    assertThat(secret.matches("")).isFalse();
    assertThat(secret.matches(null)).isFalse();
  }

  @Test
  void refusesABlankSecret() {
    assertThatThrownBy(() -> new ClusterSecret(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> ClusterSecret.requireUsable(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
