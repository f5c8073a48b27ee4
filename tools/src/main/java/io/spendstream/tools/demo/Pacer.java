package io.spendstream.tools.demo;

import java.time.Duration;

/** A fixed-rate beat for load generators: after a stall (an outage) it carries on from now, with no burst to catch up. */
public final class Pacer {
  private final long tickNanos;
  private long next = System.nanoTime();

  public Pacer(Duration tick) {
    this.tickNanos = tick.toNanos();
  }

  /** Sleeps until the next beat; false when interrupted (time to stop). */
  public boolean awaitNext() {
    next += tickNanos;
    long sleep = next - System.nanoTime();
    if (sleep <= 0) {
      next = System.nanoTime();
      return true;
    }
    try {
      Thread.sleep(Duration.ofNanos(sleep));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
