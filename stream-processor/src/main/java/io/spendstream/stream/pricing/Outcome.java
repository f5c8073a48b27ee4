package io.spendstream.stream.pricing;

import io.spendstream.schemas.avro.PricedCall;

/** What became of one record of the calls topic (duplicates produce nothing). */
sealed interface Outcome {
  record Priced(PricedCall call) implements Outcome {}

  record DeadLetter(byte[] value, String reason) implements Outcome {}
}
