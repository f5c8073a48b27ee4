package io.spendstream.stream;

import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.AvroTrust;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.avro.ServiceTier;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Calls for tests: a sonnet call on acme /v1/chat with 1000 in / 100 out tokens costs 4,500,000 nano-USD. */
public final class TestCalls {
  static {
    AvroTrust.ensure();
  }

  public static final long DEFAULT_COST = 4_500_000L;
  private static final AtomicLong IDS = new AtomicLong();
  private static final Pricer PRICER = new Pricer(PriceCatalogLoader.defaults());

  private TestCalls() {}

  public static LlmCall.Builder call(Instant at) {
    return LlmCall.newBuilder().setEventId("evt-" + IDS.incrementAndGet()).setTimestamp(at).setTenantId("acme")
        .setProvider("anthropic").setModel("claude-sonnet-4-6").setRoute("/v1/chat").setInputTokens(1000)
        .setOutputTokens(100).setCacheReadInputTokens(0).setCacheCreationInputTokens(0)
        .setServiceTier(ServiceTier.STANDARD).setLatencyMs(500).setStatusCode(200).setAttributes(Map.of());
  }

  public static LlmCall call(String iso) {
    return call(Instant.parse(iso)).build();
  }

  public static PricedCall priced(LlmCall c) {
    return PRICER.price(c);
  }

  /** A priced call with a given cost, for detectors that only look at the cost. */
  public static PricedCall costing(LlmCall c, long costNanos) {
    return PricedCall.newBuilder().setCall(c).setCostNanos(costNanos).setInputCostNanos(costNanos).setOutputCostNanos(0)
        .setCacheReadCostNanos(0).setCacheWriteCostNanos(0).setPriceStatus(PriceStatus.PRICED).setPriceVersion("test")
        .setPricedModel("test").build();
  }
}
