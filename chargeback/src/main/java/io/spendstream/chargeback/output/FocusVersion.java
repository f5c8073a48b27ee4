package io.spendstream.chargeback.output;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The FinOps FOCUS versions the export can follow, with the Cost and Usage columns each requires of every dataset
 * (feature level Mandatory, not conditional). 1.3 (released December 2025) adds ServiceProviderName and
 * HostProviderName and deprecates ProviderName and PublisherName, which stay mandatory; 1.1 and 1.2 require the same
 * 21 columns. The lists are checked against the specification's own in {@code FocusExportTest}.
 */
public enum FocusVersion {
  V1_1("1.1", List.of()),
  V1_3("1.3", List.of("HostProviderName", "ServiceProviderName"));

  private static final List<String> MANDATORY_SINCE_1_0 = List.of("BilledCost", "BillingAccountId", "BillingAccountName",
      "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
      "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
      "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName");

  private final String label;
  private final List<String> added;

  FocusVersion(String label, List<String> added) {
    this.label = label;
    this.added = added;
  }

  public String label() {
    return label;
  }

  /** The mandatory columns, sorted by name as the specification lists them. */
  public List<String> mandatory() {
    return Stream.concat(MANDATORY_SINCE_1_0.stream(), added.stream()).sorted().toList();
  }

  /** "1.3" or "1.1" (also "v1.3"); the error names the versions there are. */
  public static FocusVersion parse(String s) {
    String v = s.strip().startsWith("v") ? s.strip().substring(1) : s.strip();
    return Arrays.stream(values()).filter(f -> f.label.equals(v)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "--focus-version must be one of " + Arrays.stream(values()).map(FocusVersion::label).toList() + ", got '" + s + "'"));
  }
}
