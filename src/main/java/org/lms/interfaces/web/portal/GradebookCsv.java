package org.lms.interfaces.web.portal;

import java.util.List;

/**
 * The gradebook as CSV (RFC 4180): a header, then one row per grade; every field quoted, quotes
 * doubled, and a field a spreadsheet would run as a formula (starting with {@code = + - @}, a tab
 * or a carriage return) prefixed with an apostrophe, so feedback typed as {@code =HYPERLINK(...)}
 * stays text when an instructor opens the file.
 */
final class GradebookCsv {

  static final List<String> HEADER =
      List.of(
          "student", "display_name", "assignment", "points", "max_points", "released", "feedback");

  private GradebookCsv() {}

  static String write(List<List<String>> rows) {
    return write(HEADER, rows);
  }

  /** Any table in the same dialect (the submissions' manifest uses it too). */
  static String write(List<String> header, List<List<String>> rows) {
    var out = new StringBuilder();
    line(out, header);
    for (List<String> row : rows) {
      line(out, row);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(field(fields.get(i)).replace("\"", "\"\"")).append('"');
    }
    out.append("\r\n");
  }

  static String field(String value) {
    if (value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    boolean formula =
        first == '='
            || first == '+'
            || first == '-'
            || first == '@'
            || first == '\t'
            || first == '\r';
    return formula ? "'" + value : value;
  }
}
