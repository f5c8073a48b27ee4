package io.spendstream.chargeback.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendstream.chargeback.ChargebackRow;
import io.spendstream.chargeback.DayResult;
import io.spendstream.pricing.Money;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The day as a FinOps FOCUS cost and usage dataset ({@code focus.csv}; version 1.3 unless 1.1 is asked for): one Usage
 * charge per tenant × model, the tenant as sub-account. BilledCost and EffectiveCost are what the tenant is billed (its
 * share of the invoice when one was given, else our cost); ListCost and ContractedCost are our cost at list prices (no
 * negotiated rates known). Quantities are tokens of all four kinds. Custom columns carry the x_ prefix the spec
 * reserves. Anthropic is service provider, host provider (its API runs on infrastructure it does not name) and
 * invoice issuer.
 */
public final class FocusExport {
  /** Conditional and recommended columns we can fill, then our own. */
  public static final List<String> EXTRA = List.of("ChargeFrequency", "ConsumedQuantity", "ConsumedUnit",
      "ServiceSubcategory", "SkuId", "SkuPriceId", "SubAccountId", "SubAccountName", "Tags", "x_SpendstreamStatus",
      "x_CacheReadTokens", "x_CacheCreationTokens", "x_InputTokens", "x_OutputTokens", "x_Calls");
  private static final ObjectMapper JSON = new ObjectMapper();

  private FocusExport() {}

  /** The version's mandatory columns, then {@link #EXTRA}. */
  public static List<String> header(FocusVersion version) {
    List<String> h = new ArrayList<>(version.mandatory());
    h.addAll(EXTRA);
    return h;
  }

  public static void write(Path file, DayResult day, String billingAccount, FocusVersion version) {
    List<List<String>> rows = new ArrayList<>();
    for (ChargebackRow r : day.rows()) {
      rows.add(row(r, day.day(), billingAccount, version));
    }
    CsvFile.write(file, header(version), rows);
  }

  /** The row in {@link #header}'s order. */
  static List<String> row(ChargebackRow r, LocalDate day, String account, FocusVersion version) {
    Map<String, String> v = values(r, day, account);
    return header(version).stream().map(v::get).toList();
  }

  private static Map<String, String> values(ChargebackRow r, LocalDate day, String account) {
    YearMonth month = YearMonth.from(day);
    Map<String, String> v = new java.util.HashMap<>();
    v.put("BilledCost", Money.exactUsd(r.billedNanos()));
    v.put("BillingAccountId", account);
    v.put("BillingAccountName", account);
    v.put("BillingCurrency", "USD");
    v.put("BillingPeriodEnd", month.plusMonths(1).atDay(1) + "T00:00:00Z");
    v.put("BillingPeriodStart", month.atDay(1) + "T00:00:00Z");
    v.put("ChargeCategory", "Usage");
    v.put("ChargeClass", null);
    v.put("ChargeDescription", r.model() + " tokens for tenant " + r.tenant() + " on " + day);
    v.put("ChargePeriodEnd", day.plusDays(1) + "T00:00:00Z");
    v.put("ChargePeriodStart", day + "T00:00:00Z");
    v.put("ContractedCost", Money.exactUsd(r.ourCostNanos()));
    v.put("EffectiveCost", Money.exactUsd(r.billedNanos()));
    v.put("InvoiceIssuerName", "Anthropic");
    v.put("ListCost", Money.exactUsd(r.ourCostNanos()));
    v.put("ProviderName", "Anthropic"); // deprecated in 1.3, still mandatory
    v.put("PublisherName", "Anthropic");
    v.put("ServiceProviderName", "Anthropic");
    v.put("HostProviderName", "Anthropic");
    v.put("ServiceCategory", "AI and Machine Learning");
    v.put("ServiceName", "Claude API");
    v.put("ChargeFrequency", "Usage-Based");
    v.put("ConsumedQuantity", Long.toString(r.usage().tokens()));
    v.put("ConsumedUnit", "Tokens");
    v.put("PricingQuantity", Long.toString(r.usage().tokens()));
    v.put("PricingUnit", "Tokens");
    v.put("ServiceSubcategory", "Generative AI");
    v.put("SkuId", r.model());
    // PricingQuantity must be null without a SkuPriceId: the model family is the priced SKU
    v.put("SkuPriceId", r.model());
    v.put("SubAccountId", r.tenant());
    v.put("SubAccountName", r.tenant());
    v.put("Tags", JSON.createObjectNode().put("spendstream_tenant", r.tenant()).put("spendstream_model", r.model()).toString());
    v.put("x_SpendstreamStatus", r.status().name());
    v.put("x_CacheReadTokens", Long.toString(r.usage().cacheReadTokens()));
    v.put("x_CacheCreationTokens", Long.toString(r.usage().cacheCreationTokens()));
    v.put("x_InputTokens", Long.toString(r.usage().inputTokens()));
    v.put("x_OutputTokens", Long.toString(r.usage().outputTokens()));
    v.put("x_Calls", Long.toString(r.usage().calls()));
    return v;
  }
}
