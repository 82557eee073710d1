package org.lms.testing.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Histories of a correct store: atomic registers, each operation taking effect at one instant
 * inside its interval (an unknown write at any instant after its invocation, or never). The checker
 * must accept every history this produces; tests corrupt them to see it refuse.
 */
public final class SimulatedRegisters {
  private final Random random;
  private final int clients;
  private final int keys;
  private double unknownRate = 0.0;
  private double failRate = 0.0;
  private double writeRate = 0.5;
  private long outageFrom = Long.MAX_VALUE;
  private long outageTo = Long.MAX_VALUE;

  /**
   * @param seed makes the history reproducible
   * @param clients how many clients work at once (each one operation at a time)
   * @param keys how many registers they share
   */
  public SimulatedRegisters(long seed, int clients, int keys) {
    this.random = new Random(seed);
    this.clients = clients;
    this.keys = keys;
  }

  /** Share of operations that end {@code unknown}; half of such writes never take effect. */
  public SimulatedRegisters unknownRate(double rate) {
    this.unknownRate = rate;
    return this;
  }

  /**
   * Between {@code from} and {@code to} the store answers nobody: every operation invoked then ends
   * unknown, and half of those writes take effect only once it heals, in a burst after {@code to}
   * (as writes stuck in a partitioned leader's log commit when it rejoins).
   */
  public SimulatedRegisters outage(long from, long to) {
    this.outageFrom = from;
    this.outageTo = to;
    return this;
  }

  /** Share of operations that are writes (the rest are reads); one half unless set. */
  public SimulatedRegisters writeRate(double rate) {
    this.writeRate = rate;
    return this;
  }

  /** Share of writes refused with no effect. */
  public SimulatedRegisters failRate(double rate) {
    this.failRate = rate;
    return this;
  }

  private static final class Pending {
    final String client;
    final boolean write;
    final String key;
    String value;
    final long invoke;
    final long ret;
    final Operation.Status status;
    final long effectAt; // Long.MAX_VALUE: never takes effect

    Pending(
        String client,
        boolean write,
        String key,
        String value,
        long invoke,
        long ret,
        Operation.Status status,
        long effectAt) {
      this.client = client;
      this.write = write;
      this.key = key;
      this.value = value;
      this.invoke = invoke;
      this.ret = ret;
      this.status = status;
      this.effectAt = effectAt;
    }
  }

  /** Generates {@code operations} operations; each write writes a value of its own. */
  public History generate(int operations) {
    record Client(String name, long freeAt) {}
    PriorityQueue<Client> idle =
        new PriorityQueue<>(Comparator.comparingLong(Client::freeAt).thenComparing(Client::name));
    for (int c = 0; c < clients; c++) {
      idle.add(new Client("c" + c, random.nextInt(50)));
    }
    List<Pending> ops = new ArrayList<>();
    for (int i = 0; i < operations; i++) {
      Client c = idle.poll();
      long invoke = c.freeAt();
      long duration = 1 + random.nextInt(100);
      long ret = invoke + duration;
      String key = "k" + random.nextInt(keys);
      boolean write = random.nextDouble() < writeRate;
      Operation.Status status = Operation.Status.OK;
      long effectAt = invoke + (long) (random.nextDouble() * duration);
      double roll = random.nextDouble();
      if (roll < unknownRate) {
        status = Operation.Status.UNKNOWN;
        // the client gave up at `ret`; the write may still land much later, or never
        effectAt =
            write && random.nextBoolean()
                ? invoke + (long) (random.nextDouble() * 3 * duration)
                : Long.MAX_VALUE;
      } else if (write && roll < unknownRate + failRate) {
        status = Operation.Status.FAIL;
        effectAt = Long.MAX_VALUE;
      }
      if (invoke >= outageFrom && invoke < outageTo) {
        status = Operation.Status.UNKNOWN;
        effectAt = write && random.nextBoolean() ? outageTo + random.nextInt(100) : Long.MAX_VALUE;
      }
      String value = write ? c.name() + "-" + i : null;
      ops.add(new Pending(c.name(), write, key, value, invoke, ret, status, effectAt));
      idle.add(new Client(c.name(), ret + random.nextInt(20)));
    }
    List<Pending> effects = new ArrayList<>();
    for (Pending p : ops) {
      if (p.effectAt != Long.MAX_VALUE) {
        effects.add(p);
      }
    }
    effects.sort(Comparator.comparingLong(p -> p.effectAt)); // stable: ties keep issue order
    Map<String, String> registers = new HashMap<>();
    for (Pending p : effects) {
      if (p.write) {
        registers.put(p.key, p.value);
      } else {
        p.value = registers.get(p.key);
      }
    }
    History history = new History();
    for (Pending p : ops) {
      if (!p.write && p.status == Operation.Status.UNKNOWN) {
        p.value = "garbage-" + random.nextInt(1000); // an unknown read must not be believed
      }
      history.append(
          new Operation(
              p.client,
              p.write ? Operation.Kind.WRITE : Operation.Kind.READ,
              p.key,
              p.value,
              p.invoke,
              p.ret,
              p.status));
    }
    return history;
  }
}
