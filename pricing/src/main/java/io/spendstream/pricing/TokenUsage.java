package io.spendstream.pricing;

import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.ServiceTier;

/**
 * The billable token counts of one call, Anthropic meaning (input excludes cache reads and writes).
 * Cache writes without a known 5m/1h split count as 5-minute writes, the API's default TTL.
 */
public record TokenUsage(long input, long output, long cacheRead, long cacheWrite5m, long cacheWrite1h, ServiceTier tier) {
  public TokenUsage {
    if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite5m < 0 || cacheWrite1h < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    if (tier == null) {
      tier = ServiceTier.STANDARD;
    }
  }

  public static TokenUsage of(LlmCall call) {
    Long split5m = call.getCacheCreation5mInputTokens();
    Long split1h = call.getCacheCreation1hInputTokens();
    long write5m = split5m != null || split1h != null ? (split5m == null ? 0 : split5m) : call.getCacheCreationInputTokens();
    long write1h = split1h == null ? 0 : split1h;
    return new TokenUsage(call.getInputTokens(), call.getOutputTokens(), call.getCacheReadInputTokens(), write5m, write1h,
        call.getServiceTier());
  }
}
