package io.spendstream.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.schemas.avro.ServiceTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCatalogLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultCatalogHasTheDocumentedListPrices() {
    PriceCatalog c = PriceCatalogLoader.defaults();
    PriceEntry sonnet = ((PriceLookup.Found) c.lookup("anthropic", "claude-sonnet-4-6", Instant.parse("2026-02-01T00:00:00Z"))).entry();
    assertThat(sonnet.input()).isEqualByComparingTo("3.00");
    assertThat(sonnet.output()).isEqualByComparingTo("15.00");
    assertThat(sonnet.cacheRead()).isEqualByComparingTo("0.30");
    assertThat(sonnet.cacheWrite5m()).isEqualByComparingTo("3.75");
    assertThat(sonnet.cacheWrite1h()).isEqualByComparingTo("6.00");
    assertThat(sonnet.multiplier(ServiceTier.BATCH)).isEqualByComparingTo("0.5");
    assertThat(sonnet.effectiveFrom()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(c.entries()).extracting(PriceEntry::family).contains("claude-haiku-4-5", "claude-opus-4-7",
        "claude-sonnet-4-20250514", "claude-3-5-haiku-20241022", "claude-opus-4-20250514");
  }

  @Test
  void olderModelsCachePricesFollowTheirInputPrice() {
    for (PriceEntry e : PriceCatalogLoader.defaults().entries()) {
      assertThat(e.cacheRead()).as(e.family()).isEqualByComparingTo(e.input().multiply(new java.math.BigDecimal("0.1")));
      assertThat(e.cacheWrite5m()).as(e.family()).isEqualByComparingTo(e.input().multiply(new java.math.BigDecimal("1.25")));
      assertThat(e.cacheWrite1h()).as(e.family()).isEqualByComparingTo(e.input().multiply(new java.math.BigDecimal("2")));
    }
  }

  @Test
  void invalidCatalogReportsEveryProblemWithItsPlace() throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, """
        models:
          - model: a
            providers: [anthropic]
            prices:
              - effective_from: "2026-01-01"
                input: "-1"
                output: "x"
                cache_read: "0"
                cache_write_5m: "0"
                colour: blue
          - model: b
            prices: []
        """);
    assertThatThrownBy(() -> PriceCatalogLoader.load(f))
        .isInstanceOf(PriceCatalogException.class)
        .satisfies(e -> assertThat(((PriceCatalogException) e).problems()).anySatisfy(p -> assertThat(p).contains("effective_from"))
            .anySatisfy(p -> assertThat(p).contains("input: must not be negative"))
            .anySatisfy(p -> assertThat(p).contains("output: not a decimal"))
            .anySatisfy(p -> assertThat(p).contains("cache_write_1h: required"))
            .anySatisfy(p -> assertThat(p).contains("unknown key 'colour'"))
            .anySatisfy(p -> assertThat(p).contains("models[1] (b).providers"))
            .anySatisfy(p -> assertThat(p).contains("models[1] (b).prices")));
  }

  @Test
  void duplicateDatesAndClashingAliasesAreRejected() throws IOException {
    Path f = dir.resolve("dup.yaml");
    String price = """
              - effective_from: "2026-01-01T00:00:00Z"
                input: "1"
                output: "1"
                cache_read: "0.1"
                cache_write_5m: "1.25"
                cache_write_1h: "2"
        """;
    Files.writeString(f, "models:\n  - model: a\n    providers: [anthropic]\n    prices:\n" + price + price
        + "  - model: b\n    providers: [anthropic]\n    aliases: [a]\n    prices:\n" + price);
    assertThatThrownBy(() -> PriceCatalogLoader.load(f))
        .hasMessageContaining("same effective_from")
        .hasMessageContaining("id 'a' for provider anthropic already belongs to a");
  }

  @Test
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> PriceCatalogLoader.load(dir.resolve("nope.yaml")))
        .isInstanceOf(PriceCatalogException.class).hasMessageContaining("file not found");
  }
}
