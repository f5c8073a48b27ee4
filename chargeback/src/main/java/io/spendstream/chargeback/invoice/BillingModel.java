package io.spendstream.chargeback.invoice;

import io.spendstream.pricing.ModelIds;
import java.util.List;

/**
 * The model name bills are compared on: the family without provider decorations or date suffix
 * ({@code claude-sonnet-4-6-20260315}, {@code us.anthropic.claude-sonnet-4-6-20260315-v1:0} and
 * {@code claude-sonnet-4-6@20260315} are all {@code claude-sonnet-4-6}). Costs without a model (web search, code
 * execution) are {@link #NON_TOKEN}.
 */
public final class BillingModel {
  public static final String NON_TOKEN = "(non-token)";

  private BillingModel() {}

  public static String of(String model) {
    if (model == null || model.isBlank()) {
      return NON_TOKEN;
    }
    List<String> c = ModelIds.candidates(model);
    return c.getLast();
  }
}
