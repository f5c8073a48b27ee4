package io.spendstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.pricing.CostBreakdown;
import io.spendstream.pricing.PriceCatalog;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.PriceEntry;
import io.spendstream.pricing.Pricer;
import io.spendstream.pricing.TokenUsage;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.ServiceTier;
import io.spendstream.schemas.json.AvroJson;
import io.spendstream.schemas.json.Json;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream price}: what one call costs, component by component, exactly. */
@Command(name = "price", mixinStandardHelpOptions = true,
    description = {"Exact cost of one call, per component and in total (USD and nano-USD).",
        "Prints the price version used. Exit code 0 when priced, 3 when the model has no price."},
    footer = {"", "Examples:",
        "  spendstream price --model claude-sonnet-4-6 --input 1200 --output 350 --cache-read 8000",
        "  spendstream price --model claude-opus-4-7-20260101 --input 5000 --output 900 --tier batch --at 2026-03-01T12:00:00Z",
        "  spendstream price --list"})
final class PriceCommand implements Callable<Integer> {
  static final int UNPRICED = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", description = "Model id as sent to the provider (date suffixes resolve to the family).")
  String model;

  @Option(names = "--provider", defaultValue = "anthropic", description = "Provider (default: ${DEFAULT-VALUE}).")
  String provider;

  @Option(names = "--input", defaultValue = "0", description = "Uncached input tokens.")
  long input;

  @Option(names = "--output", defaultValue = "0", description = "Output tokens.")
  long output;

  @Option(names = "--cache-read", defaultValue = "0", description = "Cache read input tokens.")
  long cacheRead;

  @Option(names = "--cache-write-5m", defaultValue = "0", description = "Cache write tokens, 5-minute TTL.")
  long cacheWrite5m;

  @Option(names = "--cache-write-1h", defaultValue = "0", description = "Cache write tokens, 1-hour TTL.")
  long cacheWrite1h;

  @Option(names = "--tier", defaultValue = "standard", description = "standard, batch or priority (default: ${DEFAULT-VALUE}).")
  String tier;

  @Option(names = "--at", description = "Event time: RFC 3339 (2026-11-23T10:15:30Z) or epoch ms. Default: now.")
  String at;

  @Option(names = "--prices", description = "Price catalog file (YAML/JSON). Default: $SPENDSTREAM_PRICES, else the built-in catalog.")
  Path prices;

  @Option(names = "--json", description = "Print the breakdown as JSON.")
  boolean json;

  @Option(names = "--list", description = "List the catalog's models and prices instead.")
  boolean list;

  @Override
  public Integer call() {
    PriceCatalog catalog = PriceCatalogLoader.loadOrDefault(catalogFile());
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      printCatalog(catalog, out);
      return 0;
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("--model is required (or use --list)");
    }
    Instant when = parseAt();
    TokenUsage usage = new TokenUsage(nonNegative(input, "--input"), nonNegative(output, "--output"),
        nonNegative(cacheRead, "--cache-read"), nonNegative(cacheWrite5m, "--cache-write-5m"),
        nonNegative(cacheWrite1h, "--cache-write-1h"), parseTier());
    CostBreakdown c = new Pricer(catalog).price(provider, model, when, usage);
    if (json) {
      out.println(toJson(c, usage, when).toPrettyString());
    } else {
      printTable(c, usage, when, out);
    }
    return c.status() == PriceStatus.PRICED ? 0 : UNPRICED;
  }

  private Path catalogFile() {
    return catalogFile(prices);
  }

  /** The catalog file given, else $SPENDSTREAM_PRICES, else null (the built-in catalog). */
  static Path catalogFile(Path given) {
    if (given != null) {
      return given;
    }
    String env = System.getenv("SPENDSTREAM_PRICES");
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  private Instant parseAt() {
    if (at == null) {
      return Instant.now();
    }
    try {
      return at.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(at))
          : OffsetDateTime.parse(at).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException("--at must be RFC 3339 (e.g. 2026-11-23T10:15:30Z) or epoch milliseconds, got '"
          + at + "'");
    }
  }

  private ServiceTier parseTier() {
    try {
      return ServiceTier.valueOf(tier.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tier must be standard, batch or priority, got '" + tier + "'");
    }
  }

  private static long nonNegative(long v, String option) {
    if (v < 0) {
      throw new IllegalArgumentException(option + " must not be negative, got " + v);
    }
    return v;
  }

  private void printTable(CostBreakdown c, TokenUsage u, Instant when, PrintWriter out) {
    out.printf("model          %s (provider %s)%n", model, provider);
    out.printf("at             %s%n", AvroJson.timestamp(when));
    if (c.status() != PriceStatus.PRICED) {
      out.printf("status         %s: %s%n", c.status(), c.status() == PriceStatus.UNPRICED_MODEL
          ? "no catalog entry for this provider x model; cost counted as 0 and alerted (see --list)"
          : "the model is known but no price was in force at this time");
      out.printf("total          0 nano-USD%n");
      return;
    }
    PriceEntry e = c.entry();
    out.printf("priced as      %s, version %s (effective %s)%n", e.family(), e.version(), AvroJson.timestamp(e.effectiveFrom()));
    out.printf("tier           %s (x%s)%n", u.tier().name().toLowerCase(Locale.ROOT), e.multiplier(u.tier()).toPlainString());
    out.println();
    out.printf("%-16s %14s %12s %20s %22s%n", "component", "tokens", "USD/MTok", "cost USD", "cost nano-USD");
    row(out, "input", u.input(), e.input(), c.exactInput());
    row(out, "output", u.output(), e.output(), c.exactOutput());
    row(out, "cache read", u.cacheRead(), e.cacheRead(), c.exactCacheRead());
    row(out, "cache write 5m", u.cacheWrite5m(), e.cacheWrite5m(), c.exactCacheWrite5m());
    row(out, "cache write 1h", u.cacheWrite1h(), e.cacheWrite1h(), c.exactCacheWrite1h());
    out.printf("%-16s %14s %12s %20s %,22d%n", "total", "", "", CostBreakdown.usd(c.totalNanos()).toPlainString(),
        c.totalNanos());
    if (c.exactTotal().compareTo(BigDecimal.valueOf(c.totalNanos())) != 0) {
      out.printf("(exact total %s nano-USD, rounded half-even once per call)%n", c.exactTotal().toPlainString());
    }
  }

  private static void row(PrintWriter out, String name, long tokens, BigDecimal perMTok, BigDecimal exactNanos) {
    BigDecimal usd = exactNanos.divide(CostBreakdown.NANOS_PER_USD).stripTrailingZeros();
    out.printf("%-16s %,14d %12s %20s %22s%n", name, tokens, perMTok.toPlainString(), usd.toPlainString(),
        grouped(exactNanos));
  }

  /** 1234567.5 -> "1,234,567.5": thousands grouping without losing any decimal. */
  private static String grouped(BigDecimal v) {
    String plain = v.stripTrailingZeros().toPlainString();
    int dot = plain.indexOf('.');
    String whole = dot < 0 ? plain : plain.substring(0, dot);
    return String.format(Locale.ROOT, "%,d", Long.parseLong(whole)) + (dot < 0 ? "" : plain.substring(dot));
  }

  private ObjectNode toJson(CostBreakdown c, TokenUsage u, Instant when) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("provider", provider).put("model", model).put("at", AvroJson.timestamp(when))
        .put("tier", u.tier().name().toLowerCase(Locale.ROOT)).put("price_status", c.status().name());
    if (c.entry() != null) {
      o.put("priced_model", c.entry().family()).put("price_version", c.entry().version());
    }
    ObjectNode parts = o.putObject("components_exact_nanos");
    parts.put("input", c.exactInput()).put("output", c.exactOutput()).put("cache_read", c.exactCacheRead())
        .put("cache_write_5m", c.exactCacheWrite5m()).put("cache_write_1h", c.exactCacheWrite1h());
    o.put("input_cost_nanos", c.inputNanos()).put("output_cost_nanos", c.outputNanos())
        .put("cache_read_cost_nanos", c.cacheReadNanos()).put("cache_write_cost_nanos", c.cacheWriteNanos())
        .put("cost_nanos", c.totalNanos()).put("cost_usd", CostBreakdown.usd(c.totalNanos()).toPlainString());
    return o;
  }

  private static void printCatalog(PriceCatalog catalog, PrintWriter out) {
    out.printf("catalog version %s (USD per million tokens)%n%n", catalog.version());
    out.printf("%-28s %-22s %-27s %8s %8s %8s %8s %8s %6s%n", "model", "effective from", "version", "input", "output",
        "c.read", "c.w5m", "c.w1h", "batch");
    for (PriceEntry e : catalog.entries()) {
      out.printf("%-28s %-22s %-27s %8s %8s %8s %8s %8s %6s%n", e.family(), e.effectiveFrom(), e.version(),
          e.input().toPlainString(), e.output().toPlainString(), e.cacheRead().toPlainString(),
          e.cacheWrite5m().toPlainString(), e.cacheWrite1h().toPlainString(),
          e.multiplier(ServiceTier.BATCH).toPlainString());
    }
  }
}
