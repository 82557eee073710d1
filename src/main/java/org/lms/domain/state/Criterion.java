package org.lms.domain.state;

/**
 * A condition on one field of a stored record, used by {@link StateStore#find}. Field names are the
 * record component names; an equality on a list field matches when the list contains the value.
 */
public record Criterion(String field, Op op, Object value) {

  public static Criterion eq(String field, Object value) {
    return new Criterion(field, Op.EQ, value);
  }

  public static Criterion atMost(String field, Object value) {
    return new Criterion(field, Op.LTE, value);
  }

  /** The comparison. */
  public enum Op {
    EQ,
    LTE
  }
}
