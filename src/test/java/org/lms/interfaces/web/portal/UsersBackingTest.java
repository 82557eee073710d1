package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lms.application.account.AccountService;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.interfaces.web.portal.UserCsv.Problem;

class UsersBackingTest {

  @Test
  void aTemporaryPasswordIsLongEnoughReadableAndNew() {
    var random = new SecureRandom();
    var seen = new HashSet<String>();
    for (int i = 0; i < 200; i++) {
      String p = UsersBacking.temporaryPassword(random);
      assertThat(p)
          .matches(
              "["
                  + UsersBacking.PASSWORD_ALPHABET
                  + "]{4}(-["
                  + UsersBacking.PASSWORD_ALPHABET
                  + "]{4}){3}");
      assertThat(p.length()).isBetween(AccountService.MIN_PASSWORD, AccountService.MAX_PASSWORD);
      assertThat(p).doesNotContain("0", "O", "1", "l", "I");
      seen.add(p);
    }
    assertThat(seen).hasSize(200);
  }

  @Test
  void aCompleteImportIsOneSentenceNamingTheAccounts() {
    var report = new UserImport.Report(List.of(user("ada"), user("bob")), List.of());
    assertThat(UsersBacking.reportTexts(report)).containsExactly("Imported 2 accounts: ada, bob.");
    assertThat(UsersBacking.reportTexts(new UserImport.Report(List.of(user("ada")), List.of())))
        .containsExactly("Imported 1 account: ada.");
  }

  @Test
  void aRefusedImportSaysNothingWasCreatedThenListsTheFirstTwentyProblems() {
    List<Problem> problems =
        IntStream.rangeClosed(2, 26).mapToObj(l -> new Problem(l, "Line " + l + ": bad")).toList();
    List<String> texts = UsersBacking.reportTexts(new UserImport.Report(List.of(), problems));
    assertThat(texts).hasSize(1 + UsersBacking.MAX_PROBLEMS_SHOWN + 1);
    assertThat(texts.get(0))
        .isEqualTo(
            "Nothing was imported: the file has 25 problems. Correct them and upload the file"
                + " again.");
    assertThat(texts.get(1)).isEqualTo("Line 2: bad");
    assertThat(texts.get(20)).isEqualTo("Line 21: bad");
    assertThat(texts.get(21)).isEqualTo("... and 5 more.");

    assertThat(
            UsersBacking.reportTexts(
                new UserImport.Report(List.of(), List.of(new Problem(0, "The file is empty.")))))
        .containsExactly(
            "Nothing was imported: the file has 1 problem. Correct it and upload the file again.",
            "The file is empty.");
  }

  private static User user(String name) {
    return new User(name, name, name, Role.STUDENT, "hash", false, Instant.EPOCH);
  }
}
