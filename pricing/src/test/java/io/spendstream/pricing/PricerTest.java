package io.spendstream.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.avro.ServiceTier;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PricerTest {
  private static final Instant NOV = Instant.parse("2026-11-23T10:00:00Z");
  private final Pricer defaults = new Pricer(PriceCatalogLoader.defaults());
  private final Pricer changing = new Pricer(PriceCatalogLoader.load(resource("/prices-with-change.yaml")));

  private static Path resource(String name) {
    try {
      return Path.of(PricerTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TokenUsage usage(long in, long out, long read, long w5, long w1) {
    return new TokenUsage(in, out, read, w5, w1, ServiceTier.STANDARD);
  }

  @Test
  void aModelAskedAgainGetsTheSameAnswerAndOddIdsBeyondTheMemoStillResolve() {
    // the family of each provider x model is remembered (every call asks); answers must not change with it
    PriceCatalog catalog = PriceCatalogLoader.defaults();
    for (int round = 0; round < 2; round++) {
      assertThat(catalog.lookup("anthropic", "Claude-Sonnet-4-6-20260315", NOV)).isInstanceOf(PriceLookup.Found.class);
      assertThat(catalog.lookup("anthropic", "no-such-model", NOV)).isInstanceOf(PriceLookup.UnknownModel.class);
      assertThat(catalog.lookup("ANTHROPIC", "claude-haiku-4-5", NOV)).isInstanceOf(PriceLookup.Found.class);
    }
    for (int i = 0; i < 12_000; i++) { // more distinct ids than are remembered
      assertThat(catalog.lookup("anthropic", "made-up-" + i, NOV)).isInstanceOf(PriceLookup.UnknownModel.class);
    }
    assertThat(catalog.lookup("anthropic", "claude-opus-4-7", NOV)).isInstanceOf(PriceLookup.Found.class);
    assertThat(catalog.lookup("anthropic", "made-up-11999", NOV)).isInstanceOf(PriceLookup.UnknownModel.class);
  }

  @Test
  void oneDollarPerMillionTokensIsOneThousandNanosPerToken() {
    CostBreakdown c = defaults.price("anthropic", "claude-haiku-4-5", NOV, usage(1, 0, 0, 0, 0));
    assertThat(c.totalNanos()).isEqualTo(1_000);
  }

  @Test
  void eachComponentIsPricedAtItsOwnRate() {
    // sonnet 4.6: 3 / 15 / 0.30 / 3.75 / 6.00 USD per MTok
    assertThat(defaults.price("anthropic", "claude-sonnet-4-6", NOV, usage(1_000_000, 0, 0, 0, 0)).totalNanos())
        .isEqualTo(3_000_000_000L);
    assertThat(defaults.price("anthropic", "claude-sonnet-4-6", NOV, usage(0, 1_000_000, 0, 0, 0)).totalNanos())
        .isEqualTo(15_000_000_000L);
    assertThat(defaults.price("anthropic", "claude-sonnet-4-6", NOV, usage(0, 0, 1_000_000, 0, 0)).totalNanos())
        .isEqualTo(300_000_000L);
    assertThat(defaults.price("anthropic", "claude-sonnet-4-6", NOV, usage(0, 0, 0, 1_000_000, 0)).totalNanos())
        .isEqualTo(3_750_000_000L);
    assertThat(defaults.price("anthropic", "claude-sonnet-4-6", NOV, usage(0, 0, 0, 0, 1_000_000)).totalNanos())
        .isEqualTo(6_000_000_000L);
  }

  @Test
  void mixedCallAddsUpExactlyAndComponentsSumToTotal() {
    // opus 4.7: 1234*15000 + 567*75000 + 8901*1500 + 234*18750 + 56*30000 nanos
    CostBreakdown c = defaults.price("anthropic", "claude-opus-4-7", NOV, usage(1234, 567, 8901, 234, 56));
    long expected = 1234L * 15_000 + 567L * 75_000 + 8901L * 1_500 + 234L * 18_750 + 56L * 30_000;
    assertThat(c.totalNanos()).isEqualTo(expected);
    assertThat(c.inputNanos()).isEqualTo(1234L * 15_000);
    assertThat(c.outputNanos()).isEqualTo(567L * 75_000);
    assertThat(c.cacheReadNanos()).isEqualTo(8901L * 1_500);
    assertThat(c.cacheWriteNanos()).isEqualTo(234L * 18_750 + 56L * 30_000);
    assertThat(c.status()).isEqualTo(PriceStatus.PRICED);
    assertThat(c.entry().version()).isEqualTo("anthropic-list-2026-01-01");
  }

  @Test
  void oneHourCacheWritesCostMoreThanFiveMinuteWrites() {
    long fiveMinutes = defaults.price("anthropic", "claude-haiku-4-5", NOV, usage(0, 0, 0, 1000, 0)).totalNanos();
    long oneHour = defaults.price("anthropic", "claude-haiku-4-5", NOV, usage(0, 0, 0, 0, 1000)).totalNanos();
    assertThat(fiveMinutes).isEqualTo(1000L * 1_250);
    assertThat(oneHour).isEqualTo(1000L * 2_000);
  }

  @Test
  void batchTierHalvesEveryComponent() {
    TokenUsage standard = usage(1001, 333, 77, 55, 11);
    TokenUsage batch = new TokenUsage(1001, 333, 77, 55, 11, ServiceTier.BATCH);
    CostBreakdown s = defaults.price("anthropic", "claude-sonnet-4-6", NOV, standard);
    CostBreakdown b = defaults.price("anthropic", "claude-sonnet-4-6", NOV, batch);
    assertThat(b.exactTotal()).isEqualByComparingTo(s.exactTotal().divide(BigDecimal.valueOf(2)));
    assertThat(b.inputNanos()).isEqualTo(1001L * 1_500);
    assertThat(b.outputNanos()).isEqualTo(333L * 7_500);
  }

  @Test
  void priorityTierIsBilledAtListPrice() {
    TokenUsage priority = new TokenUsage(1000, 100, 0, 0, 0, ServiceTier.PRIORITY);
    assertThat(defaults.price("anthropic", "claude-sonnet-4-6", NOV, priority).totalNanos())
        .isEqualTo(1000L * 3_000 + 100L * 15_000);
  }

  @Test
  void priceChangeAppliesFromItsExactInstant() {
    Instant change = Instant.parse("2026-06-01T12:00:00Z");
    TokenUsage u = usage(1000, 1000, 0, 0, 0);
    CostBreakdown before = changing.price("anthropic", "test-model", change.minusMillis(1), u);
    CostBreakdown at = changing.price("anthropic", "test-model", change, u);
    CostBreakdown after = changing.price("anthropic", "test-model", change.plusSeconds(86_400), u);
    assertThat(before.entry().version()).isEqualTo("v1");
    assertThat(before.totalNanos()).isEqualTo(1000L * 2_000 + 1000L * 10_000);
    assertThat(at.entry().version()).isEqualTo("v2");
    assertThat(at.totalNanos()).isEqualTo(1000L * 1_500 + 1000L * 7_500);
    assertThat(after.entry().version()).isEqualTo("v2");
  }

  @Test
  void beforeTheFirstPriceNoPriceIsInForce() {
    CostBreakdown c = changing.price("anthropic", "test-model", Instant.parse("2025-12-31T23:59:59.999Z"),
        usage(1000, 0, 0, 0, 0));
    assertThat(c.status()).isEqualTo(PriceStatus.NO_PRICE_IN_FORCE);
    assertThat(c.totalNanos()).isZero();
  }

  @Test
  void dateSuffixedAndProviderSpecificIdsResolveToTheFamily() {
    TokenUsage u = usage(100, 10, 0, 0, 0);
    long family = defaults.price("anthropic", "claude-sonnet-4-6", NOV, u).totalNanos();
    for (String id : new String[] {"claude-sonnet-4-6-20260315", "Claude-Sonnet-4-6-20260315", "claude-sonnet-4-6@20260315",
        "us.anthropic.claude-sonnet-4-6-20260315-v1:0", "anthropic.claude-sonnet-4-6-v2"}) {
      CostBreakdown c = defaults.price("anthropic", id, NOV, u);
      assertThat(c.status()).as(id).isEqualTo(PriceStatus.PRICED);
      assertThat(c.entry().family()).as(id).isEqualTo("claude-sonnet-4-6");
      assertThat(c.totalNanos()).as(id).isEqualTo(family);
    }
  }

  @Test
  void anExactDatedEntryWinsOverStrippingTheDate() {
    CostBreakdown c = defaults.price("anthropic", "claude-3-5-haiku-20241022", NOV, usage(1000, 1000, 0, 0, 0));
    assertThat(c.entry().family()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(c.totalNanos()).isEqualTo(1000L * 800 + 1000L * 4_000);
    assertThat(defaults.price("anthropic", "claude-3-5-haiku-latest", NOV, usage(1, 0, 0, 0, 0)).entry().family())
        .isEqualTo("claude-3-5-haiku-20241022");
  }

  @Test
  void unknownModelIsNeverPricedAsAnother() {
    CostBreakdown c = defaults.price("anthropic", "claude-sonnet-9-9", NOV, usage(1000, 1000, 0, 0, 0));
    assertThat(c.status()).isEqualTo(PriceStatus.UNPRICED_MODEL);
    assertThat(c.totalNanos()).isZero();
    assertThat(c.entry()).isNull();
  }

  @Test
  void knownModelThroughAnUnlistedProviderIsUnpriced() {
    assertThat(defaults.price("aws.bedrock", "claude-sonnet-4-6", NOV, usage(1, 1, 0, 0, 0)).status())
        .isEqualTo(PriceStatus.UNPRICED_MODEL);
    assertThat(changing.price("aws.bedrock", "test-model", NOV, usage(1, 0, 0, 0, 0)).status())
        .isEqualTo(PriceStatus.PRICED);
  }

  @Test
  void fractionalNanosRoundHalfEvenOncePerCall() {
    // odd-model: 0.0003 USD/MTok input = 0.3 nanos per token; 0.0005 output = 0.5 nanos per token
    assertThat(changing.price("anthropic", "odd-model", NOV, usage(5, 0, 0, 0, 0)).totalNanos()).isEqualTo(2); // 1.5 -> 2
    assertThat(changing.price("anthropic", "odd-model", NOV, usage(0, 1, 0, 0, 0)).totalNanos()).isZero(); // 0.5 -> 0
    assertThat(changing.price("anthropic", "odd-model", NOV, usage(0, 3, 0, 0, 0)).totalNanos()).isEqualTo(2); // 1.5 -> 2
    assertThat(changing.price("anthropic", "odd-model", NOV, usage(0, 5, 0, 0, 0)).totalNanos()).isEqualTo(2); // 2.5 -> 2
    // once per call, not per component: 0.3*2 + 0.5*1 = 1.1 -> 1 (per component would give 1 + 0 = 1, or 0.6->1, 0.5->0)
    CostBreakdown c = changing.price("anthropic", "odd-model", NOV, usage(2, 3, 0, 0, 0)); // 0.6 + 1.5 = 2.1 -> 2
    assertThat(c.totalNanos()).isEqualTo(2);
    assertThat(c.inputNanos() + c.outputNanos()).isEqualTo(2);
  }

  @Test
  void perEntryTierMultiplierOverridesTheCatalogDefault() {
    TokenUsage batch = new TokenUsage(0, 1000, 0, 0, 0, ServiceTier.BATCH);
    assertThat(changing.price("anthropic", "odd-model", NOV, batch).exactTotal())
        .isEqualByComparingTo("125"); // 1000 * 0.5 nanos * 0.25
  }

  @Test
  void componentsAlwaysSumToTheRoundedTotal() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      TokenUsage u = new TokenUsage(rnd.nextLong(2_000_000), rnd.nextLong(200_000), rnd.nextLong(2_000_000),
          rnd.nextLong(100_000), rnd.nextLong(100_000), rnd.nextBoolean() ? ServiceTier.BATCH : ServiceTier.STANDARD);
      CostBreakdown c = changing.price("anthropic", rnd.nextBoolean() ? "odd-model" : "test-model", NOV, u);
      assertThat(c.inputNanos() + c.outputNanos() + c.cacheReadNanos() + c.cacheWriteNanos()).isEqualTo(c.totalNanos());
      assertThat(BigDecimal.valueOf(c.totalNanos()).subtract(c.exactTotal()).abs()).isLessThanOrEqualTo(new BigDecimal("0.5"));
    }
  }

  @Test
  void pricedCallCarriesCostVersionAndFamily() {
    LlmCall call = LlmCall.newBuilder().setEventId("e1").setTimestamp(NOV).setTenantId("acme").setProvider("anthropic")
        .setModel("claude-haiku-4-5-20251001").setRoute("/chat").setInputTokens(100).setOutputTokens(20)
        .setCacheCreationInputTokens(40).setCacheCreation5mInputTokens(null).setCacheCreation1hInputTokens(null)
        .setLatencyMs(500).setStatusCode(200).setAttributes(Map.of()).build();
    PricedCall p = defaults.price(call);
    // no 5m/1h split known: all cache writes priced as 5-minute writes
    assertThat(p.getCostNanos()).isEqualTo(100L * 1_000 + 20L * 5_000 + 40L * 1_250);
    assertThat(p.getCacheWriteCostNanos()).isEqualTo(40L * 1_250);
    assertThat(p.getPriceVersion()).isEqualTo("anthropic-list-2026-01-01");
    assertThat(p.getPricedModel()).isEqualTo("claude-haiku-4-5");
    assertThat(p.getPriceStatus()).isEqualTo(PriceStatus.PRICED);
    assertThat(p.getCall()).isEqualTo(call);
  }

  @Test
  void pricedCallUsesTheKnownCacheSplit() {
    LlmCall call = LlmCall.newBuilder().setEventId("e2").setTimestamp(NOV).setTenantId("acme").setProvider("anthropic")
        .setModel("claude-haiku-4-5").setRoute("/chat").setInputTokens(0).setOutputTokens(0)
        .setCacheCreationInputTokens(300).setCacheCreation5mInputTokens(100L).setCacheCreation1hInputTokens(200L)
        .setLatencyMs(1).setStatusCode(200).setAttributes(Map.of()).build();
    assertThat(defaults.price(call).getCostNanos()).isEqualTo(100L * 1_250 + 200L * 2_000);
  }
}
