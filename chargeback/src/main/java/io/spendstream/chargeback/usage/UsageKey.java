package io.spendstream.chargeback.usage;

import java.time.Instant;

/** Where a difference is located: tenant, model as reported by the call, hour (UTC). */
public record UsageKey(String tenant, String model, Instant hour) implements Comparable<UsageKey> {
  @Override
  public int compareTo(UsageKey o) {
    int c = tenant.compareTo(o.tenant);
    if (c == 0) {
      c = model.compareTo(o.model);
    }
    return c != 0 ? c : hour.compareTo(o.hour);
  }
}
