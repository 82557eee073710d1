package org.lms.interfaces.web.portal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lms.application.account.AccountService;
import org.lms.domain.model.Role;
import org.lms.domain.state.Checks;

/**
 * Accounts to create, read from the CSV file an administrator uploads (RFC 4180, UTF-8, a leading
 * byte order mark tolerated). The first row names the columns {@code username}, {@code
 * display_name}, {@code role} and {@code password} in any order; every further row is one account.
 * A field may be quoted, and must be when it holds a comma, a quote (doubled) or a line break;
 * spaces around a field are dropped; empty lines are skipped. Only the file's own form is checked
 * here (fields, roles, lengths, a username twice); the account rules themselves are the use case's
 * ({@link AccountService#checkNewUsers}). Every problem names the line its row starts on (the
 * header is line 1).
 */
final class UserCsv {

  /** The largest file read, in bytes (500 accounts with long names and passwords fit). */
  static final int MAX_BYTES = 1024 * 1024;

  /** The most accounts one file may list: the batch use case's limit. */
  static final int MAX_ROWS = AccountService.MAX_BATCH;

  static final String USERNAME = "username";
  static final String DISPLAY_NAME = "display_name";
  static final String ROLE = "role";
  static final String PASSWORD = "password";
  static final List<String> HEADER = List.of(USERNAME, DISPLAY_NAME, ROLE, PASSWORD);

  /** The longest username the rules accept (3-64 characters). */
  static final int MAX_USERNAME = 64;

  /** How much of a bad value a message quotes. */
  private static final int SHOWN = 80;

  private UserCsv() {}

  /** One account of the file, from the row that starts on {@code line}. */
  record Row(int line, String username, String displayName, Role role, String password) {
    @Override
    public String toString() {
      return "Row[line=" + line + ", username=" + username + ", role=" + role + "]";
    }
  }

  /** What is wrong, and where: {@code line} 0 means the file as a whole. */
  record Problem(int line, String text) {}

  /**
   * The rows that are fine and the problems found. When the file as a whole cannot be read (too
   * large, not UTF-8, no header, an unclosed quote, too many rows) there are no rows.
   */
  record Parsed(List<Row> rows, List<Problem> problems) {
    boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Reads at most one byte more than {@link #MAX_BYTES}, so that {@link #parse} sees too much. */
  static byte[] read(InputStream in) throws IOException {
    return in.readNBytes(MAX_BYTES + 1);
  }

  static Parsed parse(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      return failed(FacesErrors.text("users.import.tooLarge", MAX_BYTES));
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return failed(FacesErrors.text("users.import.notUtf8"));
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    var reader = new Reader(text);
    List<Record> records = new ArrayList<>();
    for (Record r = reader.next(); r != null; r = reader.next()) {
      if (r.malformed() != null) {
        if (r.fatal()) {
          return failed(r.line(), r.malformed());
        }
        records.add(r);
      } else if (!r.isBlank()) {
        records.add(r);
      }
      if (records.size() > MAX_ROWS + 1) {
        return failed(FacesErrors.text("users.import.tooManyRows", MAX_ROWS));
      }
    }
    if (records.isEmpty()) {
      return failed(FacesErrors.text("users.import.empty"));
    }
    Record header = records.get(0);
    int[] columns = columns(header);
    if (columns == null) {
      return failed(
          header.line(),
          FacesErrors.text(
              "users.import.header", header.line(), shorten(String.join(",", header.fields()))));
    }
    if (records.size() == 1) {
      return failed(FacesErrors.text("users.import.noAccounts"));
    }
    var rows = new ArrayList<Row>();
    var problems = new ArrayList<Problem>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (Record r : records.subList(1, records.size())) {
      String problem = r.malformed() != null ? r.malformed() : rowProblem(r, columns, firstLine);
      if (problem != null) {
        problems.add(new Problem(r.line(), problem));
      } else {
        rows.add(
            new Row(
                r.line(),
                username(r.fields().get(columns[0])),
                r.fields().get(columns[1]),
                Role.valueOf(r.fields().get(columns[2]).toUpperCase(Locale.ROOT)),
                r.fields().get(columns[3])));
      }
    }
    return new Parsed(List.copyOf(rows), List.copyOf(problems));
  }

  /**
   * Where each column of {@link #HEADER} is, or null when the header does not name exactly those
   * four. Names are compared ignoring case, with a space or hyphen taken for an underscore.
   */
  private static int[] columns(Record header) {
    if (header.malformed() != null || header.fields().size() != HEADER.size()) {
      return null;
    }
    int[] at = new int[HEADER.size()];
    Arrays.fill(at, -1);
    for (int i = 0; i < header.fields().size(); i++) {
      String name = header.fields().get(i).toLowerCase(Locale.ROOT).replace(' ', '_');
      int column = HEADER.indexOf(name.replace('-', '_'));
      if (column < 0 || at[column] >= 0) {
        return null;
      }
      at[column] = i;
    }
    return at;
  }

  /** What is wrong with one account's row, or null when the file's form is fine. */
  private static String rowProblem(Record r, int[] columns, Map<String, Integer> firstLine) {
    List<String> f = r.fields();
    int line = r.line();
    if (f.size() != HEADER.size()) {
      return FacesErrors.text("users.import.fields", line, HEADER.size(), f.size());
    }
    for (int c = 0; c < HEADER.size(); c++) {
      if (f.get(columns[c]).isEmpty()) {
        return FacesErrors.text("users.import.missing", line, HEADER.get(c));
      }
    }
    String username = username(f.get(columns[0]));
    if (username.length() > MAX_USERNAME) {
      return FacesErrors.text("users.import.tooLong", line, USERNAME, MAX_USERNAME);
    }
    if (f.get(columns[1]).length() > Checks.MAX_NAME) {
      return FacesErrors.text("users.import.tooLong", line, DISPLAY_NAME, Checks.MAX_NAME);
    }
    String role = f.get(columns[2]);
    if (!isRole(role)) {
      return FacesErrors.text("users.import.role", line, shorten(role));
    }
    if (f.get(columns[3]).length() > AccountService.MAX_PASSWORD) {
      return FacesErrors.text("users.import.tooLong", line, PASSWORD, AccountService.MAX_PASSWORD);
    }
    Integer earlier = firstLine.putIfAbsent(username, line);
    if (earlier != null) {
      return FacesErrors.text("users.import.duplicate", line, username, earlier);
    }
    return null;
  }

  private static String username(String field) {
    return field.toLowerCase(Locale.ROOT);
  }

  private static boolean isRole(String value) {
    for (Role r : Role.values()) {
      if (r.name().equalsIgnoreCase(value)) {
        return true;
      }
    }
    return false;
  }

  /** A value of the file quoted in a message, cut to a readable length. */
  static String shorten(String value) {
    return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "\u2026";
  }

  private static Parsed failed(String text) {
    return failed(0, text);
  }

  private static Parsed failed(int line, String text) {
    return new Parsed(List.of(), List.of(new Problem(line, text)));
  }

  /**
   * One record: its fields (stripped), the line it starts on, and, when its form is broken, why
   * ({@code fatal} when the rest of the file cannot be read either).
   */
  private record Record(int line, List<String> fields, String malformed, boolean fatal) {
    boolean isBlank() {
      return fields.size() == 1 && fields.get(0).isEmpty();
    }
  }

  /** Splits the text into records, counting physical lines (CRLF, LF or a lone CR each end one). */
  private static final class Reader {
    private final String text;
    private int pos;
    private int line = 1;

    Reader(String text) {
      this.text = text;
    }

    /** The next record, or null at the end of the text. */
    Record next() {
      if (pos >= text.length()) {
        return null;
      }
      int start = line;
      var fields = new ArrayList<String>();
      String malformed = null;
      while (true) {
        var field = new StringBuilder();
        int fieldStart = pos;
        while (pos < text.length() && text.charAt(pos) == ' ') {
          pos++;
        }
        if (pos < text.length() && text.charAt(pos) == '"') {
          pos++;
          while (true) {
            if (pos >= text.length()) {
              return new Record(
                  start, null, FacesErrors.text("users.import.unclosed", start), true);
            }
            char c = text.charAt(pos++);
            if (c == '"') {
              if (pos < text.length() && text.charAt(pos) == '"') {
                field.append('"');
                pos++;
              } else {
                break;
              }
            } else {
              countBreak(c);
              field.append(c);
            }
          }
          // only spaces may follow the closing quote before the field ends
          while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
          }
          if (pos < text.length() && !isFieldEnd(text.charAt(pos))) {
            malformed = FacesErrors.text("users.import.quote", start);
            skipRestOfLine();
          }
        } else {
          pos = fieldStart;
          while (pos < text.length() && !isFieldEnd(text.charAt(pos))) {
            char c = text.charAt(pos++);
            if (c == '"' && malformed == null) {
              malformed = FacesErrors.text("users.import.quote", start);
            }
            field.append(c);
          }
        }
        fields.add(field.toString().strip());
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          continue;
        }
        endLine();
        return new Record(start, List.copyOf(fields), malformed, false);
      }
    }

    private static boolean isFieldEnd(char c) {
      return c == ',' || c == '\n' || c == '\r';
    }

    /** A line break inside a quoted field still counts as a line. */
    private void countBreak(char c) {
      if (c == '\n' || (c == '\r' && (pos >= text.length() || text.charAt(pos) != '\n'))) {
        line++;
      }
    }

    private void endLine() {
      if (pos >= text.length()) {
        return;
      }
      if (text.charAt(pos) == '\r') {
        pos++;
        if (pos < text.length() && text.charAt(pos) == '\n') {
          pos++;
        }
      } else {
        pos++; // '\n'
      }
      line++;
    }

    private void skipRestOfLine() {
      while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
        pos++;
      }
    }
  }
}
