package org.lms.interfaces.web.portal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.lms.application.Actor;
import org.lms.application.account.AccountService;
import org.lms.application.account.AccountService.BatchOutcome;
import org.lms.application.account.AccountService.NewUser;
import org.lms.domain.model.User;
import org.lms.domain.state.RejectedException;
import org.lms.interfaces.web.portal.UserCsv.Problem;
import org.lms.interfaces.web.portal.UserCsv.Row;

/**
 * Imports the accounts of an uploaded CSV file, all or none. Everything is checked before anything
 * is created: the file's form ({@link UserCsv}), then every account by the use case's own rules
 * against the cluster's state ({@link AccountService#checkNewUsers}); a single problem anywhere and
 * nothing is created. Only then does the batch use case create the accounts. That use case is not
 * atomic, so should the cluster refuse an account after the check (another administrator took the
 * username in between) or become unreachable midway, the report names the lines that were not
 * created, and {@link Report#created} the accounts that were.
 */
final class UserImport {

  private UserImport() {}

  /**
   * What an import did.
   *
   * @param created the accounts created: none, unless the file passed every check
   * @param problems what stopped the import, or the accounts the batch did not create, by line
   */
  record Report(List<User> created, List<Problem> problems) {
    boolean complete() {
      return problems.isEmpty();
    }
  }

  static Report run(AccountService accounts, Actor admin, byte[] file) {
    UserCsv.Parsed parsed = UserCsv.parse(file);
    List<Row> rows = parsed.rows();
    var problems = new ArrayList<>(parsed.problems());
    List<NewUser> batch = rows.stream().map(UserImport::newUser).toList();
    if (!batch.isEmpty()) {
      for (Map.Entry<Integer, RejectedException> refused :
          accounts.checkNewUsers(admin, batch).entrySet()) {
        problems.add(refusal(rows.get(refused.getKey()).line(), refused.getValue()));
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(Problem::line));
      return new Report(List.of(), List.copyOf(problems));
    }
    List<BatchOutcome> outcomes = accounts.createUsers(admin, batch);
    var created = new ArrayList<User>();
    for (int i = 0; i < outcomes.size(); i++) {
      BatchOutcome outcome = outcomes.get(i);
      if (outcome.created()) {
        created.add(outcome.user());
      } else {
        problems.add(refusal(rows.get(i).line(), outcome.failure()));
      }
    }
    return new Report(List.copyOf(created), List.copyOf(problems));
  }

  private static NewUser newUser(Row row) {
    return new NewUser(row.username(), row.displayName(), row.role(), row.password().toCharArray());
  }

  /** A refusal by the use case (its rule in its own words) or the cluster, on its line. */
  private static Problem refusal(int line, RuntimeException failure) {
    String why =
        failure instanceof RejectedException rejected
            ? rejected.rejection().message()
            : FacesErrors.text("error.unavailable");
    return new Problem(line, FacesErrors.text("users.import.refused", line, why));
  }
}
