package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignInBackingTest {

  @ParameterizedTest
  @ValueSource(strings = {"/home.xhtml", "/account/password.xhtml", "/admin/users.xhtml?tab=2"})
  void aPathOfThisApplicationIsWhereTheUserReturns(String next) {
    assertThat(SignInBacking.safeNext(next)).isEqualTo(next);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "home.xhtml",
        "https://evil.example/",
        "//evil.example/home.xhtml",
        "/\\evil.example",
        "/home.xhtml\r\nSet-Cookie: x=y",
        "/login.xhtml?next=/home.xhtml",
        "javascript:alert(1)"
      })
  void anythingElseLeadsHome(String next) {
    assertThat(SignInBacking.safeNext(next)).isEqualTo(SignInBacking.HOME);
  }
}
