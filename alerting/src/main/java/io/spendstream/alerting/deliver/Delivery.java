package io.spendstream.alerting.deliver;

import io.spendstream.schemas.avro.Alert;

/**
 * One alert for one destination, with what parking needs (the original bytes and where they came from) and the
 * callback that tells the consumer this destination is finished with it.
 */
public record Delivery(Alert alert, byte[] key, byte[] value, String source, Runnable finished) {}
