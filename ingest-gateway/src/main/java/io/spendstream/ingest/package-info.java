/**
 * The ingest gateway: authenticated multi-tenant HTTP ingest into {@code llm.calls.v1}. An event is
 * acknowledged (2xx) only after Kafka acknowledged it; bad input gets a 4xx with a JSON body that names
 * the field and the reason.
 */
package io.spendstream.ingest;
