package io.spendstream.chargeback.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class InvoiceReaderTest {
  private static final LocalDate D = LocalDate.parse("2026-11-22");

  @Test
  void csvLinesBecomeExactNanosPerModelFamily() {
    assertThat(InvoiceReader.csv("""
        date,model,token_type,cost_usd
        2026-11-22,claude-sonnet-4-6-20260315,input,12.345678901
        2026-11-22,us.anthropic.claude-haiku-4-5-20251001-v1:0,output,0.1
        2026-11-22,,web_search,1.00
        """, "inv.csv")).containsExactly(
        new InvoiceLine(D, "claude-sonnet-4-6", "input", 12_345_678_901L),
        new InvoiceLine(D, "claude-haiku-4-5", "output", 100_000_000L),
        new InvoiceLine(D, BillingModel.NON_TOKEN, "web_search", 1_000_000_000L));
  }

  @Test
  void costReportAmountsAreCentsAndBucketsAreDays() {
    assertThat(InvoiceReader.costReport("""
        {"data":[{"starting_at":"2026-11-22T00:00:00Z","ending_at":"2026-11-23T00:00:00Z","results":[
           {"amount":"123.45","currency":"USD","model":"claude-sonnet-4-6-20260315","token_type":"uncached_input_tokens",
            "cost_type":"tokens","service_tier":"standard","context_window":"0-200k","description":"x","workspace_id":null},
           {"amount":"7","currency":"USD","model":null,"token_type":null,"cost_type":"web_search"}]}],
         "has_more":false,"next_page":null}
        """, "r.json")).containsExactly(
        new InvoiceLine(D, "claude-sonnet-4-6", "uncached_input_tokens", 1_234_500_000L),
        new InvoiceLine(D, BillingModel.NON_TOKEN, "web_search", 70_000_000L));
  }

  @Test
  void badFilesSayWhereAndWhy() {
    assertThatThrownBy(() -> InvoiceReader.csv("date,model,token_type,cost_usd\n2026-11-22,m,input,ten\n", "a.csv"))
        .hasMessage("a.csv: line 2: cost_usd: 'ten' is not a decimal number");
    assertThatThrownBy(() -> InvoiceReader.csv("day,model,cost\n2026-11-22,m,1\n", "b.csv"))
        .hasMessageStartingWith("b.csv: the header must be date,model,token_type,cost_usd");
    assertThatThrownBy(() -> InvoiceReader.costReport("""
        {"data":[{"starting_at":"2026-11-22T00:00:00Z","ending_at":"2026-11-22T01:00:00Z","results":[]}]}""", "h.json"))
        .hasMessageContaining("buckets must be one day");
    assertThatThrownBy(() -> InvoiceReader.costReport("""
        {"data":[{"starting_at":"2026-11-22T00:00:00Z","ending_at":"2026-11-23T00:00:00Z",
          "results":[{"amount":"1","currency":"EUR"}]}]}""", "e.json"))
        .hasMessage("e.json: data[0].results[0]: currency EUR (only USD is supported)");
  }
}
