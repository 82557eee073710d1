package org.lms.testing.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for one history line: an object whose values are strings, integers, booleans or
 * null. Hand-written because the test classpath has no JSON-P implementation and the format is
 * tiny; nested values of unknown fields are skipped, not interpreted.
 */
final class JsonLine {
  /** Stands for a nested object or array in the parsed map: present, but not interpreted. */
  static final Object NESTED = new Object();

  private final String text;
  private int pos;

  private JsonLine(String text) {
    this.text = text;
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          // control characters and lone line separators would break "one operation per line"
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Parses one JSON object. Values: {@link String}, {@link Long}, {@link Double} (non-integral
   * numbers), {@link Boolean}, {@code null}, or {@link #NESTED}.
   */
  static Map<String, Object> parseObject(String text) {
    JsonLine p = new JsonLine(text);
    p.skipSpace();
    Map<String, Object> fields = new LinkedHashMap<>();
    p.expect('{');
    p.skipSpace();
    if (p.peek() == '}') {
      p.pos++;
    } else {
      while (true) {
        p.skipSpace();
        String name = p.string();
        p.skipSpace();
        p.expect(':');
        p.skipSpace();
        Object value = p.value();
        if (fields.containsKey(name)) {
          throw p.error("duplicate field \"" + name + "\"");
        }
        fields.put(name, value);
        p.skipSpace();
        char c = p.next();
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw p.error("expected ',' or '}'");
        }
      }
    }
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the object");
    }
    return fields;
  }

  private Object value() {
    char c = peek();
    switch (c) {
      case '"':
        return string();
      case '{':
      case '[':
        skipNested();
        return NESTED;
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("unescaped control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> throw error("bad escape '\\" + e + "'");
      }
    }
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = digits();
    if (digits == 0) {
      throw error("expected a digit");
    }
    if (digits > 1 && text.charAt(pos - digits) == '0') {
      throw error("leading zero in a number");
    }
    boolean integral = true;
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      integral = false;
      if (digits() == 0) {
        throw error("expected a digit after '.'");
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      integral = false;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (digits() == 0) {
        throw error("expected a digit in the exponent");
      }
    }
    String token = text.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(token);
      } catch (NumberFormatException tooBig) {
        return Double.parseDouble(token);
      }
    }
    return Double.parseDouble(token);
  }

  private int digits() {
    int n = 0;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
      n++;
    }
    return n;
  }

  private void skipNested() {
    int depth = 0;
    do {
      char c = peek();
      if (c == '"') {
        string();
        continue;
      }
      pos++;
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
    } while (depth > 0);
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
  }

  private void skipSpace() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end of line");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message + " at column " + (pos + 1));
  }
}
