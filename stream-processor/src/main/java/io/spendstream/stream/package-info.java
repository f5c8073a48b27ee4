/** Kafka Streams topologies: dedupe and price, windowed cost, retry storms, cost anomalies (issue 5; not built yet). */
package io.spendstream.stream;
