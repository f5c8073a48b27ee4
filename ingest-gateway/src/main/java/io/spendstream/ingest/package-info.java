/** Ingest gateway: authenticated multi-tenant HTTP ingest into llm.calls.v1 (issue 4; not built yet). */
package io.spendstream.ingest;
