package org.lms.testing.chaos;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every operation of one run, in the order the clients recorded them; clients append from their own
 * threads. Stored as JSON lines (one {@link Operation#toJson()} per line, UTF-8).
 */
public final class History {
  private final List<Operation> operations = new ArrayList<>();

  public static History of(Collection<Operation> operations) {
    History h = new History();
    operations.forEach(h::append);
    return h;
  }

  /** Records one finished (or abandoned) operation; safe to call from any thread. */
  public synchronized void append(Operation operation) {
    operations.add(Objects.requireNonNull(operation));
  }

  /** A snapshot, in append order. */
  public synchronized List<Operation> operations() {
    return List.copyOf(operations);
  }

  public synchronized int size() {
    return operations.size();
  }

  /**
   * The operations of each key, in append order, keys sorted. A register per key is checked on its
   * own: linearizability is local (Herlihy and Wing), so the whole history is linearizable exactly
   * when every key's is.
   */
  public SortedMap<String, List<Operation>> byKey() {
    SortedMap<String, List<Operation>> keys = new TreeMap<>();
    for (Operation op : operations()) {
      keys.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    keys.replaceAll((k, ops) -> List.copyOf(ops));
    return keys;
  }

  /** Writes the snapshot to {@code file}, replacing it. */
  public void writeTo(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Operation op : operations()) {
        out.write(op.toJson());
        out.write('\n');
      }
    }
  }

  /**
   * Reads a file written by {@link #writeTo}; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the file and line of the first malformed operation
   */
  public static History readFrom(Path file) throws IOException {
    History h = new History();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          h.append(Operation.fromJson(line));
        } catch (IllegalArgumentException | NullPointerException e) {
          throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
        }
      }
    }
    return h;
  }
}
