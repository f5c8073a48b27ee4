package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.schemas.json.Json;
import org.junit.jupiter.api.Test;

class PriceCommandTest {
  private final CliRun cli = new CliRun();
  private final java.io.StringWriter out = cli.out;
  private final java.io.StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void printsEachComponentTheTotalAndThePriceVersion() {
    int rc = run("price", "--model", "claude-sonnet-4-6-20260315", "--input", "1200", "--output", "350",
        "--cache-read", "8000", "--cache-write-1h", "333", "--at", "2026-03-01T00:00:00Z");
    assertThat(rc).isZero();
    assertThat(out.toString())
        .contains("priced as      claude-sonnet-4-6, version anthropic-list-2026-01-01")
        .containsPattern("input\\s+1,200\\s+3\\s+0.0036\\s+3,600,000")
        .containsPattern("cache write 1h\\s+333\\s+6\\s+0.001998\\s+1,998,000")
        .containsPattern("total\\s+0.013248\\s+13,248,000");
  }

  @Test
  void jsonOutputCarriesIntegerNanos() throws Exception {
    int rc = run("price", "--model", "claude-opus-4-7", "--input", "1000", "--output", "100", "--tier", "batch",
        "--at", "2026-05-01T00:00:00Z", "--json");
    assertThat(rc).isZero();
    JsonNode j = Json.MAPPER.readTree(out.toString());
    assertThat(j.get("cost_nanos").asLong()).isEqualTo((1000L * 15_000 + 100L * 75_000) / 2);
    assertThat(j.get("tier").asText()).isEqualTo("batch");
    assertThat(j.get("price_version").asText()).isEqualTo("anthropic-list-2026-01-01");
  }

  @Test
  void unknownModelExitsThreeAndSaysWhy() {
    assertThat(run("price", "--model", "gpt-9", "--input", "10")).isEqualTo(PriceCommand.UNPRICED);
    assertThat(out.toString()).contains("UNPRICED_MODEL").contains("0 nano-USD");
  }

  @Test
  void badArgumentsAreOneClearLineAndExitTwo() {
    assertThat(run("price", "--model", "claude-haiku-4-5", "--at", "yesterday")).isEqualTo(2);
    assertThat(err.toString()).contains("--at must be RFC 3339").doesNotContain("Exception");
    assertThat(run("price", "--model", "claude-haiku-4-5", "--input", "-5")).isEqualTo(2);
    assertThat(run("price", "--model", "claude-haiku-4-5", "--tier", "gold")).isEqualTo(2);
    assertThat(run("price", "--model", "claude-haiku-4-5", "--prices", "/nonexistent.yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("file not found");
  }

  @Test
  void listShowsTheCatalog() {
    assertThat(run("price", "--list")).isZero();
    assertThat(out.toString()).contains("claude-opus-4-7").contains("claude-3-5-haiku-20241022");
  }

  @Test
  void everyCommandHasHelp() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("price").contains("test");
    assertThat(run("price", "--help")).isZero();
    assertThat(out.toString()).contains("--cache-write-5m").contains("--prices");
  }
}
