package io.spendstream.chargeback;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.chargeback.invoice.BillingModel;
import io.spendstream.chargeback.invoice.InvoiceLine;
import io.spendstream.chargeback.usage.DayUsage;
import io.spendstream.chargeback.usage.Usage;
import io.spendstream.chargeback.usage.UsageKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DayReconcilerTest {
  private static final LocalDate D = LocalDate.parse("2026-11-22");
  private static final Instant H3 = Instant.parse("2026-11-22T03:00:00Z");
  private static final Instant H4 = Instant.parse("2026-11-22T04:00:00Z");
  private static final BigDecimal TWO_PERCENT = new BigDecimal("0.02");

  private static Usage u(long calls, long cost) {
    return new Usage(calls, calls * 100, calls * 10, calls * 50, 0, cost);
  }

  private static Map<UsageKey, Usage> base() {
    Map<UsageKey, Usage> m = new HashMap<>();
    m.put(new UsageKey("acme", "claude-sonnet-4-6-20260315", H3), u(10, 3_000_000_000L));
    m.put(new UsageKey("acme", "claude-sonnet-4-6", H4), u(5, 1_000_000_000L));
    m.put(new UsageKey("beta", "claude-sonnet-4-6", H3), u(4, 1_000_000_001L));
    return m;
  }

  @Test
  void threeEqualPathsAreConsistentAndBillAtOurCostWithoutInvoice() {
    DayResult r = DayReconciler.reconcile(D, new DayUsage(base(), base(), base(), 60_000), null, TWO_PERCENT);
    assertThat(r.discrepancies()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.rows()).extracting(x -> x.tenant() + " " + x.model() + " " + x.usage().calls() + " " + x.billedNanos() + " " + x.status())
        .containsExactly("acme claude-sonnet-4-6 15 4000000000 NO_INVOICE", "beta claude-sonnet-4-6 4 1000000001 NO_INVOICE");
  }

  @Test
  void windowsAboveLlmCallsIsASinkGapLocatedToTheHour() {
    Map<UsageKey, Usage> calls = base();
    calls.put(new UsageKey("acme", "claude-sonnet-4-6", H4), u(4, 800_000_000L)); // one call never landed
    DayResult r = DayReconciler.reconcile(D, new DayUsage(calls, base(), calls, 60_000), null, TWO_PERCENT);
    assertThat(r.discrepancies()).singleElement().satisfies(d -> {
      assertThat(d.where()).isEqualTo(new UsageKey("acme", "claude-sonnet-4-6", H4));
      assertThat(d.paths()).isEqualTo("llm_calls vs cost_windows");
      assertThat(d.difference()).isEqualTo("calls 4 vs 5");
      assertThat(d.diagnosis()).isEqualTo(ConsistencyCheck.SINK_GAP);
    });
    assertThat(r.ok()).isFalse();
    assertThat(r.rows()).filteredOn(x -> x.tenant().equals("acme")).singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(ChargebackStatus.INCONSISTENT));
    assertThat(r.rows()).filteredOn(x -> x.tenant().equals("beta")).singleElement()
        .satisfies(x -> assertThat(x.status()).isEqualTo(ChargebackStatus.NO_INVOICE));
  }

  @Test
  void windowsBelowLlmCallsIsTooLateAndARollupMismatchIsNamedToo() {
    Map<UsageKey, Usage> windows = base();
    windows.put(new UsageKey("beta", "claude-sonnet-4-6", H3), u(3, 750_000_000L));
    Map<UsageKey, Usage> rollup = base();
    rollup.put(new UsageKey("acme", "claude-sonnet-4-6-20260315", H3), u(10, 2_999_999_999L));
    DayResult r = DayReconciler.reconcile(D, new DayUsage(base(), windows, rollup, 60_000), null, TWO_PERCENT);
    assertThat(r.discrepancies()).extracting(Discrepancy::diagnosis)
        .containsExactlyInAnyOrder(ConsistencyCheck.TOO_LATE, ConsistencyCheck.ROLLUP);
    assertThat(r.discrepancies()).filteredOn(d -> d.diagnosis().equals(ConsistencyCheck.ROLLUP)).singleElement()
        .satisfies(d -> assertThat(d.difference()).isEqualTo("cost_nanos 3000000000 vs 2999999999"));
  }

  @Test
  void invoiceWithinToleranceIsAllocatedProRataAndSumsToTheInvoiceExactly() {
    // ours 5,000,000,001 nanos; invoice 1 % higher
    List<InvoiceLine> invoice = List.of(new InvoiceLine(D, "claude-sonnet-4-6", "input", 4_000_000_000L),
        new InvoiceLine(D, "claude-sonnet-4-6", "output", 1_050_000_000L),
        new InvoiceLine(D.minusDays(1), "claude-sonnet-4-6", "input", 99_000_000_000L));
    DayResult r = DayReconciler.reconcile(D, new DayUsage(base(), base(), base(), 60_000), invoice, TWO_PERCENT);
    assertThat(r.ok()).isTrue();
    assertThat(r.comparisons()).singleElement().satisfies(c -> {
      assertThat(c.invoiceNanos()).isEqualTo(5_050_000_000L);
      assertThat(c.flagged()).isFalse();
    });
    assertThat(r.rows()).extracting(ChargebackRow::status).containsOnly(ChargebackStatus.OK);
    assertThat(r.billedTotalNanos()).isEqualTo(5_050_000_000L);
    // acme 4,000,000,000 / 5,000,000,001 of 5,050,000,000 = 4,039,999,999.19.. -> floor; beta gets the rest
    assertThat(r.rows()).extracting(ChargebackRow::providerCostNanos).containsExactly(4_039_999_999L, 1_010_000_001L);
  }

  @Test
  void invoiceThreePercentOffIsFlaggedAndUnknownModelsAndNonTokenCostsAreCharged() {
    List<InvoiceLine> invoice = List.of(new InvoiceLine(D, "claude-sonnet-4-6", "input", 5_155_000_000L),
        new InvoiceLine(D, "claude-opus-4-1", "input", 2_000_000_000L),
        new InvoiceLine(D, BillingModel.NON_TOKEN, "web_search", 1_000_000_000L));
    DayResult r = DayReconciler.reconcile(D, new DayUsage(base(), base(), base(), 60_000), invoice, TWO_PERCENT);
    assertThat(r.ok()).isFalse();
    assertThat(r.comparisons()).extracting(c -> c.model() + " " + c.flagged())
        .containsExactly("claude-opus-4-1 true", "claude-sonnet-4-6 true");
    assertThat(r.rows()).anySatisfy(x -> {
      assertThat(x.tenant()).isEqualTo("__system__");
      assertThat(x.model()).isEqualTo("claude-opus-4-1");
      assertThat(x.status()).isEqualTo(ChargebackStatus.UNMATCHED_INVOICE);
      assertThat(x.providerCostNanos()).isEqualTo(2_000_000_000L);
    });
    assertThat(r.billedTotalNanos()).isEqualTo(5_155_000_000L + 2_000_000_000L + 1_000_000_000L);
    assertThat(r.rows()).filteredOn(x -> x.model().equals(BillingModel.NON_TOKEN)).extracting(ChargebackRow::tenant)
        .containsExactly("acme", "beta");
  }
}
