/**
 * Kafka Streams: dedupe and price ({@code pricing}), windowed cost ({@code windows}), retry storms
 * ({@code retrystorm}), cost anomalies ({@code anomaly}), unpriced models ({@code unpriced}); one
 * application ({@link io.spendstream.stream.SpendTopology}), run by {@code StreamProcessor}, replayed
 * offline by {@code replay}.
 */
package io.spendstream.stream;
