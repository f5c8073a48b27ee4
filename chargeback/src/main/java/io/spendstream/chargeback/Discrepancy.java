package io.spendstream.chargeback;

import io.spendstream.chargeback.usage.Usage;
import io.spendstream.chargeback.usage.UsageKey;

/** Two paths disagree for one tenant × model × hour; {@code diagnosis} says what that usually means. */
public record Discrepancy(UsageKey where, String paths, Usage left, Usage right, String difference, String diagnosis) {}
