package org.lms.testing.chaos;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One client operation on one register, as the workload saw it: what was asked, what came back, and
 * when (nanoseconds of one monotonic clock shared by every client of a run). Serialised as one JSON
 * line, see {@link #toJson()}.
 *
 * @param client the client that issued it (a client issues one operation at a time)
 * @param op write or read
 * @param key the register
 * @param value for a write the value written (never null); for a read the value returned, null for
 *     "no value yet"
 * @param invokeNanos when the client sent it
 * @param returnNanos when the client got the answer, or gave up waiting
 * @param status how it ended
 */
public record Operation(
    String client,
    Kind op,
    String key,
    String value,
    long invokeNanos,
    long returnNanos,
    Status status) {

  /** The register's two operations. */
  public enum Kind {
    WRITE,
    READ;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind ofJson(String text) {
      for (Kind k : values()) {
        if (k.json().equals(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("op must be \"write\" or \"read\", not \"" + text + "\"");
    }
  }

  /** How an operation ended, from the client's point of view. */
  public enum Status {
    /** Acknowledged: a write took effect, a read returned a value. */
    OK,
    /** Refused with a guarantee that it had no effect (e.g. a validation rejection). */
    FAIL,
    /**
     * No answer (timeout, UNAVAILABLE, connection reset): a write may take effect at any time after
     * its invocation, or never; a read tells nothing.
     */
    UNKNOWN;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Status ofJson(String text) {
      for (Status s : values()) {
        if (s.json().equals(text)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "status must be \"ok\", \"fail\" or \"unknown\", not \"" + text + "\"");
    }
  }

  public Operation {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    if (op == Kind.WRITE && value == null) {
      throw new IllegalArgumentException("a write carries the value it writes");
    }
    if (returnNanos < invokeNanos) {
      throw new IllegalArgumentException(
          "returned (" + returnNanos + ") before it was invoked (" + invokeNanos + ")");
    }
  }

  public static Operation write(
      String client, String key, String value, long invokeNanos, long returnNanos, Status status) {
    return new Operation(client, Kind.WRITE, key, value, invokeNanos, returnNanos, status);
  }

  public static Operation read(
      String client, String key, String value, long invokeNanos, long returnNanos, Status status) {
    return new Operation(client, Kind.READ, key, value, invokeNanos, returnNanos, status);
  }

  public boolean isWrite() {
    return op == Kind.WRITE;
  }

  public boolean isRead() {
    return op == Kind.READ;
  }

  /** The same operation with another value (tests use it to corrupt a correct history). */
  public Operation withValue(String newValue) {
    return new Operation(client, op, key, newValue, invokeNanos, returnNanos, status);
  }

  /**
   * One line of JSON, fields in a fixed order, e.g. {@code
   * {"client":"c3","op":"write","key":"k1","value":"v-7","invokeNanos":120,"returnNanos":450,"status":"ok"}}.
   */
  public String toJson() {
    return "{\"client\":"
        + JsonLine.quote(client)
        + ",\"op\":"
        + JsonLine.quote(op.json())
        + ",\"key\":"
        + JsonLine.quote(key)
        + ",\"value\":"
        + (value == null ? "null" : JsonLine.quote(value))
        + ",\"invokeNanos\":"
        + invokeNanos
        + ",\"returnNanos\":"
        + returnNanos
        + ",\"status\":"
        + JsonLine.quote(status.json())
        + "}";
  }

  /**
   * Parses one line written by {@link #toJson()}. Field order is free; fields this version does not
   * know are ignored, so a later runner may add some (e.g. the node a client was pinned to).
   */
  public static Operation fromJson(String line) {
    Map<String, Object> fields = JsonLine.parseObject(line);
    String value = optionalString(fields, "value");
    return new Operation(
        requiredString(fields, "client"),
        Kind.ofJson(requiredString(fields, "op")),
        requiredString(fields, "key"),
        value,
        requiredLong(fields, "invokeNanos"),
        requiredLong(fields, "returnNanos"),
        Status.ofJson(requiredString(fields, "status")));
  }

  /** A short human-readable form for verdicts and reports. */
  public String describe() {
    return client
        + " "
        + op.json()
        + " "
        + key
        + "="
        + (value == null ? "<none>" : JsonLine.quote(value))
        + " ["
        + invokeNanos
        + ".."
        + returnNanos
        + "] "
        + status.json();
  }

  private static String requiredString(Map<String, Object> fields, String name) {
    String s = optionalString(fields, name);
    if (s == null) {
      throw new IllegalArgumentException("missing field \"" + name + "\"");
    }
    return s;
  }

  private static String optionalString(Map<String, Object> fields, String name) {
    Object v = fields.get(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new IllegalArgumentException("field \"" + name + "\" must be a string");
  }

  private static long requiredLong(Map<String, Object> fields, String name) {
    Object v = fields.get(name);
    if (v instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException(
        v == null && !fields.containsKey(name)
            ? "missing field \"" + name + "\""
            : "field \"" + name + "\" must be an integer");
  }
}
