package org.lms.application.account;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.lms.application.TooManyAttemptsException;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed sign-ins in a row for one
 * username, each further attempt must wait (5 s, then twice as long each time, at most 5 minutes).
 * Kept per node in memory: a guesser spreading over three nodes gets three times the (still
 * exponential) budget.
 */
final class LoginThrottle {
  static final int FREE_FAILURES = 5;
  private static final long FIRST_LOCK_SECONDS = 5;
  private static final Duration MAX_LOCK = Duration.ofMinutes(5);
  private static final int MAX_TRACKED = 100_000;

  private record Failures(int count, Instant lockedUntil) {}

  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

  void checkAllowed(String username, Instant now) {
    Failures f = failures.get(username);
    if (f != null && now.isBefore(f.lockedUntil())) {
      throw new TooManyAttemptsException(Duration.between(now, f.lockedUntil()));
    }
  }

  void failed(String username, Instant now) {
    if (failures.size() > MAX_TRACKED) {
      failures.clear(); // bounded memory under a flood of made-up usernames
    }
    failures.compute(
        username,
        (k, f) -> {
          int count = f == null ? 1 : f.count() + 1;
          Instant until = now;
          if (count >= FREE_FAILURES) {
            long seconds = FIRST_LOCK_SECONDS << Math.min(count - FREE_FAILURES, 20);
            until = now.plus(min(Duration.ofSeconds(seconds), MAX_LOCK));
          }
          return new Failures(count, until);
        });
  }

  void succeeded(String username) {
    failures.remove(username);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
