package org.lms.testing.chaos;

import java.util.List;

/**
 * One named violation found by {@link Anomalies}: cheaper and easier to read than a failed
 * linearizability search, and each one implies that search fails too.
 *
 * @param operations the read at fault first, then the writes that show why
 */
public record Anomaly(Kind kind, String key, String explanation, List<Operation> operations) {
  /** What went wrong. */
  public enum Kind {
    /** The final read after healing returned a value older than an acknowledged write. */
    LOST_WRITE,
    /** A read returned a value that no write which might have taken effect in time wrote. */
    PHANTOM_READ,
    /** A read returned a value overwritten before the read began. */
    STALE_READ
  }

  public Anomaly {
    operations = List.copyOf(operations);
  }

  @Override
  public String toString() {
    return kind + " on " + key + ": " + explanation;
  }
}
