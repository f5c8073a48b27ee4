package io.spendstream.sink.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The migrations on the real ClickHouse engine (chDB behind the HTTP interface). */
@ExtendWith(RealInfraExtension.class)
class MigratorIT {
  private Client client;
  private SchemaConfig config;

  @BeforeEach
  void connect(ClickHouseEndpoint ch) {
    client = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build();
    config = SchemaConfig.singleNode("mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  @AfterEach
  void drop() throws Exception {
    client.execute("DROP DATABASE IF EXISTS " + config.database()).get(30, TimeUnit.SECONDS).close();
    client.close();
  }

  private long count(String sql) {
    return client.queryAll(sql).getFirst().getLong(1);
  }

  private void insertJson(String table, String rows, String token) throws Exception {
    InsertSettings s = new InsertSettings();
    if (token != null) {
      s.setDeduplicationToken(token);
    }
    client.insert(config.database() + "." + table, new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)),
        ClickHouseFormat.JSONEachRow, s).get(30, TimeUnit.SECONDS).close();
  }

  @Test
  void appliesEveryMigrationOnceAndRerunsCleanly() {
    assertThat(Migrator.migrate(client, config)).extracting(Migration::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(Migrator.migrate(client, config)).isEmpty();
    List<String> tables = client.queryAll("SELECT name FROM system.tables WHERE database = '" + config.database()
        + "' ORDER BY name").stream().map(r -> r.getString("name")).toList();
    assertThat(tables).containsExactly("alerts", "chargeback_daily", "cost_windows", "cost_windows_shards", "llm_calls",
        "llm_calls_hourly", "llm_calls_hourly_mv", "reported_usage", "reported_usage_by_session", "schema_migrations");
    assertThat(count("SELECT count() FROM " + config.database() + ".schema_migrations FINAL")).isEqualTo(8);
  }

  @Test
  void aChangedAppliedMigrationIsRefused() throws Exception {
    Migrator.migrate(client, config);
    client.execute("INSERT INTO " + config.database() + ".schema_migrations SELECT 2, 'cost_windows', 'edited', now64(3) + 1")
        .get(30, TimeUnit.SECONDS).close();
    assertThatThrownBy(() -> Migrator.migrate(client, config)).isInstanceOf(MigrationException.class)
        .hasMessageContaining("V2 (cost_windows) was changed after it was applied");
  }

  @Test
  void rollupFollowsLlmCallsAndARetriedBatchWithTheSameTokenLandsOnce() throws Exception {
    Migrator.migrate(client, config);
    String at = LocalDate.now(ZoneOffset.UTC).minusDays(1) + " 10"; // within the TTL whenever the test runs
    String rows = """
        {"event_id":"a","ts":"HOUR:05:00.000","tenant_id":"acme","route":"/chat","model":"m","input_tokens":10,"cost_nanos":4500000,"kafka_partition":0,"kafka_offset":1}
        {"event_id":"b","ts":"HOUR:59:59.999","tenant_id":"acme","route":"/chat","model":"m","input_tokens":5,"cost_nanos":1,"kafka_partition":0,"kafka_offset":2}
        """.replace("HOUR", at);
    insertJson("llm_calls", rows, "llm.calls.priced.v1-0-1-2");
    insertJson("llm_calls", rows, "llm.calls.priced.v1-0-1-2"); // the retry of the same batch
    String db = config.database();
    assertThat(count("SELECT count() FROM " + db + ".llm_calls")).isEqualTo(2);
    GenericRecord hour = client.queryAll("SELECT sum(calls) AS calls, sum(cost_nanos) AS cost FROM " + db
        + ".llm_calls_hourly WHERE tenant_id = 'acme'").getFirst();
    assertThat(hour.getLong("calls")).isEqualTo(2);
    assertThat(hour.getLong("cost")).isEqualTo(4_500_001L);
    assertThat(client.queryAll("SELECT toString(sum(cost_usd)) AS usd FROM " + db + ".llm_calls").getFirst().getString("usd"))
        .isEqualTo("0.004500001");
  }

  @Test
  void windowViewSumsShardsAndACorrectedWindowReplacesTheOldOne() throws Exception {
    Migrator.migrate(client, config);
    String day = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    String w = "{\"window_start\":\"" + day + " 10:00:00.000\",\"window_end\":\"" + day + " 10:01:00.000\",\"window_size_ms\":60000,"
        + "\"tenant_id\":\"acme\",\"route\":\"/chat\",\"model\":\"m\",\"shard\":%d,\"calls\":%d,\"cost_nanos\":%d,\"version\":%d}\n";
    insertJson("cost_windows_shards", String.format(w, 0, 3, 300, 1) + String.format(w, 1, 2, 200, 1), null);
    insertJson("cost_windows_shards", String.format(w, 1, 4, 400, 2), null); // shard 1 corrected
    GenericRecord r = client.queryAll("SELECT calls, cost_nanos FROM " + config.database() + ".cost_windows").getFirst();
    assertThat(r.getLong("calls")).isEqualTo(7);
    assertThat(r.getLong("cost_nanos")).isEqualTo(700);
  }
}
