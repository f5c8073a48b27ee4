package io.spendstream.pricing;

/** What the catalog knows about a provider x model at an instant. */
public sealed interface PriceLookup {
  /** The entry in force. */
  record Found(PriceEntry entry) implements PriceLookup {}

  /** No entry for this provider x model at all: never priced as something else. */
  record UnknownModel(String provider, String model) implements PriceLookup {}

  /** The family is known, but its first price starts after the call. */
  record NoPriceInForce(String family) implements PriceLookup {}
}
