package io.spendstream.stream.config;

import io.spendstream.config.Problems;
import java.time.Duration;
import java.util.List;

/**
 * Tumbling event-time windows per tenant x route x model; a window's one final result is written when
 * stream time passes its end plus {@code grace}. Events later than that are too late for the windows
 * (counted in a metric) but still reach ClickHouse through the priced topic. Larger sizes are sums of
 * the smallest one, so every size must be a multiple of it.
 */
public record WindowsConfig(List<Duration> sizes, Duration grace) {
  /** The smallest size: aggregated per call. */
  public Duration base() {
    return sizes.stream().min(Duration::compareTo).orElseThrow();
  }

  /** The other sizes, ascending: sums of base windows. */
  public List<Duration> larger() {
    return sizes.stream().filter(s -> !s.equals(base())).sorted().toList();
  }

  public static WindowsConfig defaults() {
    return new WindowsConfig(List.of(Duration.ofMinutes(1), Duration.ofHours(1)), Duration.ofMinutes(5));
  }

  public WindowsConfig {
    Problems p = new Problems("windows");
    p.check(sizes != null && !sizes.isEmpty() && sizes.size() <= 4, "sizes", "needs 1 to 4 window sizes");
    if (sizes != null) {
      sizes = List.copyOf(sizes);
      p.check(sizes.stream().allMatch(s -> s.isPositive() && s.toMillis() % 1000 == 0), "sizes", "must be whole seconds > 0");
      p.check(sizes.stream().distinct().count() == sizes.size(), "sizes", "must not repeat");
      if (sizes.stream().allMatch(Duration::isPositive)) {
        long base = sizes.stream().mapToLong(Duration::toMillis).min().orElse(1);
        p.check(sizes.stream().allMatch(s -> s.toMillis() % base == 0), "sizes",
            "must all be multiples of the smallest (larger windows are sums of it)");
      }
    }
    p.notNegative("grace", grace);
    p.throwIfAny();
  }
}
