package org.lms.infrastructure.metrics;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * A {@link MetricRegistry} standing in for Payara's: it keeps counters, timers and gauges by name
 * and tags ({@code lms_commands{type=CreateCourse}}) and supports only the calls {@link
 * NodeMetrics} makes; any other call fails the test.
 */
final class RecordingRegistry {

  final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  final Map<String, Duration> timed = new ConcurrentHashMap<>();
  final Map<String, Supplier<?>> gauges = new ConcurrentHashMap<>();
  final Map<String, String> units = new ConcurrentHashMap<>();

  final MetricRegistry registry =
      (MetricRegistry)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {MetricRegistry.class},
              (proxy, method, args) -> {
                Metadata meta = (Metadata) args[0];
                units.put(meta.getName(), meta.getUnit());
                switch (method.getName()) {
                  case "counter":
                    return counter(key(meta, args.length > 1 ? (Tag[]) args[1] : null));
                  case "timer":
                    return timer(key(meta, args.length > 1 ? (Tag[]) args[1] : null));
                  case "gauge":
                    if (args.length == 3 && args[1] instanceof Supplier<?> s) {
                      gauges.put(key(meta, (Tag[]) args[2]), s);
                      return null;
                    }
                    break;
                  default:
                    break;
                }
                throw new UnsupportedOperationException(method.toString());
              });

  long count(String key) {
    AtomicLong count = counts.get(key);
    return count == null ? 0 : count.get();
  }

  Number gauge(String key) {
    return (Number) gauges.get(key).get();
  }

  private Counter counter(String key) {
    AtomicLong count = counts.computeIfAbsent(key, k -> new AtomicLong());
    return (Counter)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Counter.class},
            (proxy, method, args) -> {
              if (method.getName().equals("inc")) {
                return count.addAndGet(args == null ? 1 : (Long) args[0]);
              }
              throw new UnsupportedOperationException(method.toString());
            });
  }

  private Timer timer(String key) {
    AtomicLong count = counts.computeIfAbsent(key, k -> new AtomicLong());
    return (Timer)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Timer.class},
            (proxy, method, args) -> {
              if (method.getName().equals("update")) {
                count.incrementAndGet();
                timed.merge(key, (Duration) args[0], Duration::plus);
                return null;
              }
              throw new UnsupportedOperationException(method.toString());
            });
  }

  private static String key(Metadata meta, Tag[] tags) {
    if (tags == null || tags.length == 0) {
      return meta.getName();
    }
    Map<String, String> sorted = new TreeMap<>();
    Arrays.stream(tags).forEach(t -> sorted.put(t.getTagName(), t.getTagValue()));
    return meta.getName()
        + sorted.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",", "{", "}"));
  }
}
