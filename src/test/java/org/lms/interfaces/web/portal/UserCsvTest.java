package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lms.domain.model.Role;
import org.lms.interfaces.web.portal.UserCsv.Parsed;
import org.lms.interfaces.web.portal.UserCsv.Problem;
import org.lms.interfaces.web.portal.UserCsv.Row;

class UserCsvTest {

  private static final String HEADER = "username,display_name,role,password\r\n";

  private static Parsed parse(String csv) {
    return UserCsv.parse(csv.getBytes(StandardCharsets.UTF_8));
  }

  /** The problems' texts of a file that must be refused; it yields no row that is wrong. */
  private static List<String> problems(String csv) {
    Parsed parsed = parse(csv);
    assertThat(parsed.ok()).as("refused").isFalse();
    return parsed.problems().stream().map(Problem::text).toList();
  }

  @Test
  void aGoodFileGivesOneRowPerAccountWithItsLine() {
    Parsed parsed =
        parse(
            HEADER
                + "ada,Ada Lovelace,STUDENT,first-password-1\r\n"
                + "Grace,Grace Hopper,instructor,second-password-2\r\n"
                + "root,The Admin,Admin,third-password-3\r\n");
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.rows())
        .containsExactly(
            new Row(2, "ada", "Ada Lovelace", Role.STUDENT, "first-password-1"),
            new Row(3, "grace", "Grace Hopper", Role.INSTRUCTOR, "second-password-2"),
            new Row(4, "root", "The Admin", Role.ADMIN, "third-password-3"));
  }

  @Test
  void quotedFieldsKeepCommasQuotesAndSpaces() {
    Parsed parsed =
        parse(
            HEADER
                + "ada,\"Lovelace, Ada\",STUDENT,first-password-1\n"
                + "grace, \"Grace \"\"Amazing\"\" Hopper\" ,INSTRUCTOR,\"pass,word\"\"2x\"\n"
                + "\"bob\",\"\",\"STUDENT\",\"\"\"\"\"\"\"\"\"\"\"\"\n");
    assertThat(parsed.rows())
        .extracting(Row::displayName)
        .containsExactly("Lovelace, Ada", "Grace \"Amazing\" Hopper");
    assertThat(parsed.rows().get(1).password()).isEqualTo("pass,word\"2x");
    assertThat(parsed.problems())
        .containsExactly(new Problem(4, "Line 4: display_name is missing."));
  }

  @Test
  void aByteOrderMarkLineFeedsAndBlankLinesAreTolerated() {
    Parsed parsed =
        parse(
            "\uFEFFUsername, Display Name ,ROLE,password\n"
                + "\n"
                + "ada,Ada,STUDENT,first-password-1\n"
                + "   \n"
                + "bob,Bob,STUDENT,second-password-2");
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.rows()).extracting(Row::line).containsExactly(3, 5);
    assertThat(parsed.rows().get(0).username()).isEqualTo("ada");
  }

  @Test
  void columnsMayComeInAnyOrder() {
    Parsed parsed =
        parse("role,password,display-name,username\nSTUDENT,first-password-1,Ada,ada\n");
    assertThat(parsed.rows())
        .containsExactly(new Row(2, "ada", "Ada", Role.STUDENT, "first-password-1"));
  }

  @Test
  void aLineBreakInsideQuotesIsCountedSoLaterLinesKeepTheirNumbers() {
    Parsed parsed =
        parse(
            HEADER
                + "ada,\"Ada\r\nLovelace\",STUDENT,first-password-1\r\n"
                + "bob,Bob,TEACHER,second-password-2\r\n");
    // the display name's line break is for the use case to refuse; the row starts on line 2
    assertThat(parsed.rows()).extracting(Row::line).containsExactly(2);
    assertThat(parsed.rows().get(0).displayName()).isEqualTo("Ada\r\nLovelace");
    assertThat(parsed.problems())
        .containsExactly(
            new Problem(4, "Line 4: unknown role TEACHER; use STUDENT, INSTRUCTOR or ADMIN."));
  }

  @Test
  void everyBadRowIsReportedWithItsLineAndNoBadRowIsKept() {
    Parsed parsed =
        parse(
            HEADER
                + "ada,Ada,STUDENT,first-password-1\r\n"
                + ",No Name,STUDENT,second-password-2\r\n"
                + "bob,Bob,,third-password-3\r\n"
                + "cleo,Cleo,STUDENT,\r\n"
                + "dan,Dan,JANITOR,fourth-password-4\r\n"
                + "ADA,Ada Again,STUDENT,fifth-password-5\r\n"
                + "eve,Eve,STUDENT\r\n"
                + "fay,Fay,STUDENT,sixth-password-6,extra\r\n"
                + "x".repeat(65)
                + ",Long,STUDENT,seventh-password-7\r\n"
                + "gus,"
                + "G".repeat(201)
                + ",STUDENT,eighth-password-8\r\n"
                + "hal,Hal,STUDENT,"
                + "p".repeat(1025)
                + "\r\n"
                + "ida,Ida \"the\" Great,STUDENT,ninth-password-9\r\n"
                + "jo,\"Jo\" Smith,STUDENT,tenth-password-10\r\n"
                + "kim,Kim,STUDENT,eleventh-password-11\r\n");
    assertThat(parsed.rows()).extracting(Row::username).containsExactly("ada", "kim");
    assertThat(parsed.problems())
        .containsExactly(
            new Problem(3, "Line 3: username is missing."),
            new Problem(4, "Line 4: role is missing."),
            new Problem(5, "Line 5: password is missing."),
            new Problem(6, "Line 6: unknown role JANITOR; use STUDENT, INSTRUCTOR or ADMIN."),
            new Problem(7, "Line 7: the username ada is already on line 2."),
            new Problem(8, "Line 8: expected 4 fields, found 3."),
            new Problem(9, "Line 9: expected 4 fields, found 5."),
            new Problem(10, "Line 10: username is longer than 64 characters."),
            new Problem(11, "Line 11: display_name is longer than 200 characters."),
            new Problem(12, "Line 12: password is longer than 1024 characters."),
            new Problem(
                13,
                "Line 13: a quote in the wrong place. Quote the whole field and double each quote"
                    + " inside it."),
            new Problem(
                14,
                "Line 14: a quote in the wrong place. Quote the whole field and double each quote"
                    + " inside it."));
  }

  @Test
  void anUnclosedQuoteStopsTheWholeFile() {
    assertThat(problems(HEADER + "ada,Ada,STUDENT,first-password-1\r\nbob,\"Bob,STUDENT,x\r\n"))
        .containsExactly(
            "Line 3: a quoted field is never closed, so the rest of the file cannot be read.");
    assertThat(parse(HEADER + "bob,\"Bob,STUDENT,x\r\n").rows()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user,display_name,role,password",
        "username,display_name,role",
        "username,display_name,role,password,extra",
        "username,username,role,password",
        "ada,Ada,STUDENT,first-password-1"
      })
  void theHeaderMustNameTheFourColumns(String header) {
    assertThat(problems(header + "\nada,Ada,STUDENT,first-password-1\n"))
        .containsExactly(
            "Line 1: the header row must name the columns username, display_name, role and"
                + " password, each once (found: "
                + header
                + ").");
  }

  @Test
  void anEmptyFileOrOneWithoutAccountsIsRefused() {
    assertThat(problems(""))
        .containsExactly("The file is empty: it needs a header row and one row per account.");
    assertThat(problems("\uFEFF\r\n\r\n"))
        .containsExactly("The file is empty: it needs a header row and one row per account.");
    assertThat(problems(HEADER)).containsExactly("The file has a header row but no accounts.");
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() {
    byte[] latin1 =
        (HEADER + "jose,Jos\u00e9,STUDENT,first-password-1\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(UserCsv.parse(latin1).problems())
        .containsExactly(
            new Problem(
                0, "The file is not UTF-8 text. Save it as CSV UTF-8 and upload it again."));
  }

  @Test
  void utf8NamesAreKept() {
    assertThat(
            parse(HEADER + "jose,Jos\u00e9 \u00c5ngstr\u00f6m,STUDENT,first-password-1\n").rows())
        .extracting(Row::displayName)
        .containsExactly("Jos\u00e9 \u00c5ngstr\u00f6m");
  }

  @Test
  void atMostFiveHundredAccounts() {
    var ok = new StringBuilder(HEADER);
    for (int i = 0; i < UserCsv.MAX_ROWS; i++) {
      ok.append("user").append(i).append(",User ").append(i).append(",STUDENT,password-").append(i);
      ok.append("-long\r\n");
    }
    assertThat(parse(ok.toString()).rows()).hasSize(500);
    ok.append("onemore,One More,STUDENT,password-one-more\r\n");
    assertThat(problems(ok.toString()))
        .containsExactly(
            "The file lists more than 500 accounts; split it into files of at most 500 accounts.");
  }

  @Test
  void atMostOneMegabyte() throws IOException {
    byte[] big = new byte[UserCsv.MAX_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'a');
    assertThat(UserCsv.parse(big).problems())
        .containsExactly(
            new Problem(
                0, "The file is larger than 1,048,576 bytes; split it into smaller files."));
    // reading stops one byte past the limit, however large the upload
    byte[] huge = new byte[3 * UserCsv.MAX_BYTES];
    assertThat(UserCsv.read(new ByteArrayInputStream(huge))).hasSize(UserCsv.MAX_BYTES + 1);
    assertThat(UserCsv.parse(java.util.Arrays.copyOf(big, UserCsv.MAX_BYTES)).problems())
        .extracting(Problem::text)
        .noneMatch(t -> t.contains("larger"));
  }

  @Test
  void aLongBadValueIsQuotedShortened() {
    String role = "R".repeat(300);
    assertThat(problems(HEADER + "ada,Ada," + role + ",first-password-1\n"))
        .containsExactly(
            "Line 2: unknown role " + "R".repeat(80) + "\u2026; use STUDENT, INSTRUCTOR or ADMIN.");
  }

  @Test
  void aRowNeverShowsItsPassword() {
    Row row = new Row(2, "ada", "Ada", Role.STUDENT, "first-password-1");
    assertThat(row.toString()).doesNotContain("first-password-1");
  }
}
