package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lms.testing.Scenario.ADMIN;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.application.Actor;
import org.lms.application.UseCases;
import org.lms.application.account.AccountService;
import org.lms.application.port.CommandGateway;
import org.lms.domain.command.Command;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.RejectedException;
import org.lms.infrastructure.security.Pbkdf2PasswordHasher;
import org.lms.interfaces.web.portal.UserCsv.Problem;
import org.lms.testing.LocalLog;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

/** The import against the real use cases and state machine (one node, no Raft). */
class UserImportTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private static final Actor ADMIN_ACTOR = new Actor(ADMIN, "admin", Role.ADMIN, "s");
  private static final String HEADER = "username,display_name,role,password\r\n";
  private static final String XSS = "<script>alert('x')</script>";

  private Scenario s;
  private LocalLog log;
  private AccountService accounts;

  @BeforeEach
  void setUp() {
    s = new Scenario(mongo.newStore()).admin().user("alice", Role.STUDENT);
    log = new LocalLog(s);
    accounts = log.accounts();
  }

  private UserImport.Report run(String csv) {
    return UserImport.run(accounts, ADMIN_ACTOR, csv.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> usernames() {
    return s.store().find(User.class).stream().map(User::username).sorted().toList();
  }

  @Test
  void aGoodFileCreatesEveryAccount() {
    UserImport.Report report =
        run(
            "\uFEFF"
                + HEADER
                + "ada,\"Lovelace, \"\"Ada\"\"\",STUDENT,first-password-1\r\n"
                + "grace,"
                + XSS
                + ",INSTRUCTOR,second-password-2\r\n");
    assertThat(report.complete()).isTrue();
    assertThat(report.created()).extracting(User::username).containsExactly("ada", "grace");
    assertThat(report.created())
        .extracting(User::displayName)
        .containsExactly("Lovelace, \"Ada\"", XSS);
    assertThat(report.created())
        .extracting(User::role)
        .containsExactly(Role.STUDENT, Role.INSTRUCTOR);
    assertThat(usernames()).containsExactly("ada", "admin", "alice", "grace");

    // the password in the file is the one that signs in
    assertThat(accounts.signIn("ada", "first-password-1".toCharArray()).actor().username())
        .isEqualTo("ada");
  }

  @Test
  void oneBadRowOfAnyKindCreatesNobodyAndEveryProblemIsListedByLine() {
    String before = s.store().digest();
    UserImport.Report report =
        run(
            HEADER
                + "bert,Bert,STUDENT,first-password-1\r\n"
                + "ALICE,Alice Again,STUDENT,second-password-2\r\n"
                + "carla,Carla,STUDENT,short\r\n"
                + "dora,Dora,JANITOR,third-password-3\r\n"
                + "e,Too Short A Name,STUDENT,fourth-password-4\r\n"
                + "bert,Bert Twice,STUDENT,fifth-password-5\r\n");
    assertThat(report.created()).isEmpty();
    assertThat(report.problems())
        .containsExactly(
            new Problem(3, "Line 3: the username alice is taken"),
            new Problem(4, "Line 4: password must have at least 10 characters"),
            new Problem(5, "Line 5: unknown role JANITOR; use STUDENT, INSTRUCTOR or ADMIN."),
            new Problem(
                6,
                "Line 6: username must be 3-64 lowercase letters, digits, '.', '_' or '-',"
                    + " starting with one of a-z0-9"),
            new Problem(7, "Line 7: the username bert is already on line 2."));
    assertThat(s.store().digest()).isEqualTo(before);
  }

  @Test
  void aFileThatCannotBeReadCreatesNobody() {
    UserImport.Report report = run(HEADER + "bert,\"Bert,STUDENT,first-password-1\r\n");
    assertThat(report.created()).isEmpty();
    assertThat(report.problems()).extracting(Problem::line).containsExactly(2);
    assertThat(usernames()).containsExactly("admin", "alice");
  }

  @Test
  void onlyAnAdministratorImports() {
    var alice = new Actor("alice", "alice", Role.STUDENT, "s");
    assertThatThrownBy(
            () ->
                UserImport.run(
                    accounts,
                    alice,
                    (HEADER + "bert,Bert,STUDENT,first-password-1\r\n")
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RejectedException.class);
    assertThat(usernames()).containsExactly("admin", "alice");
  }

  /**
   * The batch is not atomic: another administrator takes a username between the check and the
   * creation. The report says which accounts exist and which line was not created.
   */
  @Test
  void aUsernameTakenAfterTheCheckIsReportedAndTheOthersAreNamed() {
    CommandGateway racing =
        new CommandGateway() {
          private boolean raced;

          @Override
          public CommandResult submit(Command command) {
            if (!raced && command instanceof RegisterUser) {
              raced = true;
              log.submit(
                  new RegisterUser(
                      "other-bert",
                      "bert",
                      "Another Bert",
                      Role.STUDENT,
                      Scenario.HASH,
                      ADMIN,
                      s.now()));
            }
            return log.submit(command);
          }

          @Override
          public void awaitApplied(long index, Duration timeout) {}

          @Override
          public void linearizableBarrier(Duration timeout) {}

          @Override
          public long appliedIndex() {
            return log.appliedIndex();
          }
        };
    accounts =
        new AccountService(
            new UseCases(racing, s.store(), s.stateMachine(), Clock.systemUTC()),
            new Pbkdf2PasswordHasher(1_000),
            Duration.ofHours(1));

    UserImport.Report report =
        run(
            HEADER
                + "ada,Ada,STUDENT,first-password-1\r\n"
                + "bert,Bert,STUDENT,second-password-2\r\n"
                + "cleo,Cleo,STUDENT,third-password-3\r\n");
    assertThat(report.complete()).isFalse();
    assertThat(report.created()).extracting(User::username).containsExactly("ada", "cleo");
    assertThat(report.problems())
        .containsExactly(new Problem(3, "Line 3: the username bert is taken"));
    assertThat(UsersBacking.reportTexts(report))
        .containsExactly(
            "Only 2 of 3 accounts were created (ada, cleo): the cluster refused or could not take"
                + " the others after the file had been checked. Remove the created rows and upload"
                + " the rest again.",
            "Line 3: the username bert is taken");
  }
}
