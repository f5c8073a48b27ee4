package io.spendstream.chargeback.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spendstream.chargeback.ChargebackRow;
import io.spendstream.chargeback.DayResult;
import io.spendstream.chargeback.ReconcileFailedException;
import io.spendstream.schemas.json.AvroJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Writes one day into {@code chargeback_daily} so that a rerun replaces it: the rows go into a table of this run
 * ({@code CREATE TABLE ... AS chargeback_daily}), then {@code ALTER TABLE chargeback_daily REPLACE PARTITION}
 * swaps the day in one step, and the run's table is dropped. A failed run leaves the previous result in place.
 */
public final class ChargebackTable {
  private final Client client;
  private final String database;

  public ChargebackTable(Client client, String database) {
    this.client = client;
    this.database = database;
  }

  public void replaceDay(DayResult day, String runId, Instant at) {
    String table = database + ".chargeback_daily";
    String staging = database + ".chargeback_daily_run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String partition = day.day().format(DateTimeFormatter.BASIC_ISO_DATE);
    execute("CREATE TABLE " + staging + " AS " + table);
    try {
      if (day.rows().isEmpty()) {
        execute("ALTER TABLE " + table + " DROP PARTITION ID '" + partition + "'");
        return;
      }
      client.insert(staging, new ByteArrayInputStream(rows(day, runId, at)), ClickHouseFormat.JSONEachRow, new InsertSettings())
          .get(60, TimeUnit.SECONDS).close();
      execute("ALTER TABLE " + table + " REPLACE PARTITION ID '" + partition + "' FROM " + staging);
    } catch (ReconcileFailedException e) {
      throw e;
    } catch (Exception e) {
      throw new ReconcileFailedException("cannot write chargeback_daily for " + day.day() + ": " + e.getMessage(), e);
    } finally {
      execute("DROP TABLE IF EXISTS " + staging);
    }
  }

  private void execute(String sql) {
    try {
      client.execute(sql).get(60, TimeUnit.SECONDS).close();
    } catch (Exception e) {
      throw new ReconcileFailedException(sql.split(" ")[0] + " failed: " + e.getMessage(), e);
    }
  }

  private static byte[] rows(DayResult day, String runId, Instant at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      for (ChargebackRow r : day.rows()) {
        g.writeStartObject();
        g.writeStringField("day", r.day().toString());
        g.writeStringField("tenant_id", r.tenant());
        g.writeStringField("model", r.model());
        g.writeNumberField("calls", r.usage().calls());
        g.writeNumberField("input_tokens", r.usage().inputTokens());
        g.writeNumberField("output_tokens", r.usage().outputTokens());
        g.writeNumberField("cache_read_input_tokens", r.usage().cacheReadTokens());
        g.writeNumberField("cache_creation_input_tokens", r.usage().cacheCreationTokens());
        g.writeNumberField("our_cost_nanos", r.ourCostNanos());
        if (r.providerCostNanos() == null) {
          g.writeNullField("provider_cost_nanos");
          g.writeNullField("difference_nanos");
        } else {
          g.writeNumberField("provider_cost_nanos", r.providerCostNanos());
          g.writeNumberField("difference_nanos", r.differenceNanos());
        }
        g.writeStringField("status", r.status().name());
        g.writeStringField("run_id", runId);
        g.writeStringField("reconciled_at", AvroJson.timestamp(at).replace('T', ' ').replace("Z", ""));
        g.writeEndObject();
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
