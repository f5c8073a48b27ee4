/** ClickHouse sink for priced calls, cost windows and alerts (issue 6; not built yet). */
package io.spendstream.sink;
