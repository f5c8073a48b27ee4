package io.spendstream.chargeback.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.chargeback.ChargebackRow;
import io.spendstream.chargeback.ChargebackStatus;
import io.spendstream.chargeback.usage.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FocusExportTest {
  private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);

  /** The specification's mandatory column list of a version (src/test/resources/focus, with where it comes from). */
  private static List<String> specList(FocusVersion v) throws IOException {
    try (InputStream in = FocusExportTest.class.getResourceAsStream("/focus/cost-and-usage-mandatory-" + v.label() + ".txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    }
  }

  @ParameterizedTest
  @EnumSource(FocusVersion.class)
  void everyMandatoryColumnOfTheVersionIsInTheHeaderAndFilled(FocusVersion v) throws IOException {
    assertThat(v.mandatory()).containsExactlyElementsOf(specList(v));
    List<String> h = FocusExport.header(v);
    List<String> row = FocusExport.row(new ChargebackRow(DAY, "acme", "claude-sonnet-4-6", new Usage(3, 100, 20, 500, 40,
        1_500_000_000L), 1_530_000_000L, ChargebackStatus.OK), DAY, "acct-1", v);
    assertThat(h).startsWith(specList(v).toArray(String[]::new)).doesNotHaveDuplicates().hasSameSizeAs(row);
    assertThat(h).allMatch(c -> c.matches("[A-Z][A-Za-z]+") || c.startsWith("x_"));
    for (String c : v.mandatory()) {
      if (!c.equals("ChargeClass")) { // null unless the row corrects an earlier period
        assertThat(value(h, row, c)).as(c).isNotBlank();
      }
    }
    assertThat(value(h, row, "ChargeClass")).isNull();
  }

  @Test
  void valuesFollowTheSpecsFormats() {
    List<String> h = FocusExport.header(FocusVersion.V1_3);
    List<String> row = FocusExport.row(new ChargebackRow(DAY, "acme", "claude-sonnet-4-6", new Usage(3, 100, 20, 500, 40,
        1_500_000_000L), 1_530_000_000L, ChargebackStatus.OK), DAY, "acct-1", FocusVersion.V1_3);
    assertThat(value(h, row, "BilledCost")).isEqualTo("1.530000000");
    assertThat(value(h, row, "ListCost")).isEqualTo("1.500000000");
    assertThat(value(h, row, "BillingPeriodStart")).isEqualTo(DAY.withDayOfMonth(1) + "T00:00:00Z");
    assertThat(value(h, row, "BillingPeriodEnd")).isEqualTo(DAY.withDayOfMonth(1).plusMonths(1) + "T00:00:00Z");
    assertThat(value(h, row, "ChargePeriodEnd")).isEqualTo(DAY.plusDays(1) + "T00:00:00Z");
    assertThat(value(h, row, "ConsumedQuantity")).isEqualTo("660");
    assertThat(value(h, row, "ServiceProviderName")).isEqualTo("Anthropic");
    assertThat(value(h, row, "HostProviderName")).isEqualTo("Anthropic");
    assertThat(FocusExport.header(FocusVersion.V1_1)).doesNotContain("ServiceProviderName", "HostProviderName");
  }

  @Test
  void versionsParseAndAnUnknownOneIsNamed() {
    assertThat(FocusVersion.parse("1.3")).isEqualTo(FocusVersion.V1_3);
    assertThat(FocusVersion.parse("v1.1")).isEqualTo(FocusVersion.V1_1);
    assertThatThrownBy(() -> FocusVersion.parse("1.2")).hasMessageContaining("[1.1, 1.3]").hasMessageContaining("'1.2'");
  }

  private static String value(List<String> header, List<String> row, String column) {
    return row.get(header.indexOf(column));
  }
}
