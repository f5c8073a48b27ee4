package io.spendstream.chargeback.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.chargeback.ChargebackRow;
import io.spendstream.chargeback.ChargebackStatus;
import io.spendstream.chargeback.usage.Usage;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class FocusExportTest {
  @Test
  void mandatoryColumnsAreFilledWithSpecValues() {
    LocalDate d = LocalDate.parse("2026-11-30");
    List<String> row = FocusExport.row(new ChargebackRow(d, "acme", "claude-sonnet-4-6", new Usage(3, 100, 20, 500, 40, 1_500_000_000L),
        1_530_000_000L, ChargebackStatus.OK), d, "acct-1");
    List<String> h = FocusExport.header();
    assertThat(h).startsWith(FocusExport.MANDATORY.toArray(String[]::new));
    assertThat(h).allMatch(c -> c.matches("[A-Z][A-Za-z]+") || c.startsWith("x_"));
    assertThat(value(h, row, "BilledCost")).isEqualTo("1.530000000");
    assertThat(value(h, row, "ListCost")).isEqualTo("1.500000000");
    assertThat(value(h, row, "BillingPeriodStart")).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(value(h, row, "BillingPeriodEnd")).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(value(h, row, "ChargePeriodEnd")).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(value(h, row, "ConsumedQuantity")).isEqualTo("660");
    assertThat(value(h, row, "ChargeClass")).isNull();
    for (String c : FocusExport.MANDATORY) {
      if (!c.equals("ChargeClass")) {
        assertThat(value(h, row, c)).as(c).isNotBlank();
      }
    }
  }

  private static String value(List<String> header, List<String> row, String column) {
    return row.get(header.indexOf(column));
  }
}
