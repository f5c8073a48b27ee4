package io.spendstream.sink;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.avro.ReportedUsage;
import io.spendstream.sink.rows.AlertRows;
import io.spendstream.sink.rows.CostWindowRows;
import io.spendstream.sink.rows.PricedCallRows;
import io.spendstream.sink.rows.ReportedUsageRows;
import io.spendstream.sink.rows.RowEncoder;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Where one topic lands: its table, its record type and row encoder; {@code offsetColumn} names a column
 * that also gets the record's offset (the window table's ReplacingMergeTree version), or is null.
 */
public record SinkTable<T extends SpecificRecord>(String topic, String table, Class<T> type, RowEncoder<T> encoder,
    String offsetColumn) {

  public static List<SinkTable<?>> of(SinkTopics t) {
    return List.of(
        new SinkTable<>(t.priced(), "llm_calls", PricedCall.class, new PricedCallRows(), null),
        new SinkTable<>(t.windows(), "cost_windows_shards", CostWindow.class, new CostWindowRows(), "version"),
        new SinkTable<>(t.alerts(), "alerts", Alert.class, new AlertRows(), null),
        new SinkTable<>(t.reportedUsage(), "reported_usage", ReportedUsage.class, new ReportedUsageRows(), null));
  }
}
