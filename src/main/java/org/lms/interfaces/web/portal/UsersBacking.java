package org.lms.interfaces.web.portal;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.lms.application.Actor;
import org.lms.application.account.AccountService;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.interfaces.web.portal.UserCsv.Problem;

/**
 * Backs {@code admin/users.xhtml}: every account with its state and a button that disables or
 * enables it, a form that creates one, one that resets a password (typed by the admin, or generated
 * and shown to the admin once), and the CSV import ({@link UserImport}). View-scoped, so that a
 * row's button acts on the account the admin saw in that row even if accounts were added since; the
 * view keeps {@link UserRow}s, never a stored user (and so no password hash). Passwords typed here
 * live only until the action that uses them.
 */
@Named
@ViewScoped
public class UsersBacking implements Serializable {

  private static final long serialVersionUID = 1L;

  /** How many problems of one import are listed; the rest are counted. */
  static final int MAX_PROBLEMS_SHOWN = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A generated password's letters and digits: none that is easily misread for another (0/O,
   * 1/l/I).
   */
  static final String PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  @Inject PortalServices services;
  @Inject CurrentUser me;

  private String username;
  private String displayName;
  private Role role = Role.STUDENT;
  private transient String password;
  private String resetUserId;
  private transient String resetPassword;
  private transient Part csvFile;
  private ArrayList<UserRow> users;

  /** One account as the page shows it. */
  public record UserRow(String id, String username, String displayName, Role role, boolean disabled)
      implements Serializable {

    static UserRow of(User u) {
      return new UserRow(u.id(), u.username(), u.displayName(), u.role(), u.disabled());
    }
  }

  public String create() {
    try {
      User created =
          accounts()
              .createUser(
                  me.require(),
                  username,
                  displayName,
                  role,
                  password == null ? null : password.toCharArray());
      FacesErrors.info(FacesErrors.text("users.created", created.username(), created.role()));
      username = null;
      displayName = null;
      users = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    } finally {
      password = null;
    }
    return null;
  }

  /**
   * Disables or enables the account of a row. Disabling ends the account's sessions on every node
   * (the use case does), and the use case refuses an administrator's own account.
   */
  public String setDisabled(UserRow row, boolean disabled) {
    try {
      accounts().setDisabled(me.require(), row.id(), disabled);
      FacesErrors.info(
          disabled
              ? FacesErrors.text("users.disabled", row.username())
              : FacesErrors.text("users.enabled", row.username()));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    users = null;
    return null;
  }

  /**
   * Sets a new password for the chosen account, which ends its sessions. An empty field means
   * "generate one": it is shown to the admin in this response's message and nowhere else.
   */
  public String resetPassword() {
    try {
      UserRow row = find(resetUserId);
      if (row == null) {
        FacesErrors.error("reset:user", FacesErrors.text("users.reset.choose"));
        return null;
      }
      boolean generate = resetPassword == null || resetPassword.isEmpty();
      String replacement = generate ? temporaryPassword(RANDOM) : resetPassword;
      accounts().resetPassword(me.require(), row.id(), replacement.toCharArray());
      FacesErrors.info(
          generate
              ? FacesErrors.text("users.reset.generated", row.username(), replacement)
              : FacesErrors.text("users.reset.done", row.username()));
      resetUserId = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    } finally {
      resetPassword = null;
    }
    return null;
  }

  /** Imports the uploaded CSV file: every account of it, or (with the reasons why) none. */
  public String importCsv() {
    if (csvFile == null || csvFile.getSize() == 0) {
      FacesErrors.error("import:file", FacesErrors.text("users.import.noFile"));
      return null;
    }
    try (InputStream in = csvFile.getInputStream()) {
      UserImport.Report report = UserImport.run(accounts(), me.require(), UserCsv.read(in));
      for (String text : reportTexts(report)) {
        if (report.complete()) {
          FacesErrors.info(text);
        } else {
          FacesErrors.error(null, text);
        }
      }
    } catch (IOException e) {
      FacesErrors.show(null, new IllegalStateException("reading the upload failed", e));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    } finally {
      csvFile = null;
      users = null;
    }
    return null;
  }

  /**
   * The messages of an import: a summary first, then each problem by line (at most {@link
   * #MAX_PROBLEMS_SHOWN}, then how many more).
   */
  static List<String> reportTexts(UserImport.Report report) {
    var texts = new ArrayList<String>();
    if (report.complete()) {
      texts.add(
          FacesErrors.text(
              "users.import.done",
              report.created().size(),
              report.created().stream().map(User::username).collect(Collectors.joining(", "))));
      return texts;
    }
    if (report.created().isEmpty()) {
      texts.add(FacesErrors.text("users.import.nothing", report.problems().size()));
    } else {
      texts.add(
          FacesErrors.text(
              "users.import.partial",
              report.created().size(),
              report.created().size() + report.problems().size(),
              report.created().stream().map(User::username).collect(Collectors.joining(", "))));
    }
    List<Problem> problems = report.problems();
    problems.stream().limit(MAX_PROBLEMS_SHOWN).map(Problem::text).forEach(texts::add);
    if (problems.size() > MAX_PROBLEMS_SHOWN) {
      texts.add(FacesErrors.text("users.import.more", problems.size() - MAX_PROBLEMS_SHOWN));
    }
    return texts;
  }

  /**
   * A new temporary password: four groups of four characters from {@link #PASSWORD_ALPHABET} (about
   * 92 bits), easy to read out and to type.
   */
  static String temporaryPassword(SecureRandom random) {
    var out = new StringBuilder(19);
    for (int i = 0; i < 16; i++) {
      if (i > 0 && i % 4 == 0) {
        out.append('-');
      }
      out.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
    }
    return out.toString();
  }

  /** Every account, by username, as this view shows it. */
  public List<UserRow> getUsers() {
    if (users == null) {
      users =
          accounts().listUsers(me.require()).stream()
              .sorted(Comparator.comparing(User::username))
              .map(UserRow::of)
              .collect(Collectors.toCollection(ArrayList::new));
    }
    return users;
  }

  /**
   * The accounts whose password the admin may reset here: all but their own, which a reset would
   * sign out (their own password is changed on the password page, which keeps the session).
   */
  public List<UserRow> getResettable() {
    String self = me.require().userId();
    return getUsers().stream().filter(u -> !u.id().equals(self)).toList();
  }

  private UserRow find(String id) {
    Actor admin = me.require();
    return id == null || id.equals(admin.userId())
        ? null
        : getUsers().stream().filter(u -> u.id().equals(id)).findFirst().orElse(null);
  }

  private AccountService accounts() {
    return services.application().accounts();
  }

  public Role[] getRoles() {
    return Role.values();
  }

  /** The most accounts, and bytes, one CSV file may carry, for the page's hint. */
  public int getMaxImportRows() {
    return UserCsv.MAX_ROWS;
  }

  public int getMaxImportMegabytes() {
    return UserCsv.MAX_BYTES / (1024 * 1024);
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public Role getRole() {
    return role;
  }

  public void setRole(Role role) {
    this.role = role;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getResetUserId() {
    return resetUserId;
  }

  public void setResetUserId(String resetUserId) {
    this.resetUserId = resetUserId;
  }

  public String getResetPassword() {
    return resetPassword;
  }

  public void setResetPassword(String resetPassword) {
    this.resetPassword = resetPassword;
  }

  public Part getCsvFile() {
    return csvFile;
  }

  public void setCsvFile(Part csvFile) {
    this.csvFile = csvFile;
  }
}
