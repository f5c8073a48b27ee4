package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** spendstream reconcile as cron runs it: summary on stdout, exit code for the scheduler. */
@ExtendWith(RealInfraExtension.class)
class ReconcileCommandIT {
  @TempDir Path dir;

  @Test
  void exitCodeTellsTheSchedulerWhetherTheDayIsRight(ClickHouseEndpoint ch) throws Exception {
    String db = "rc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Client c = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build()) {
      c.execute("CREATE DATABASE " + db).get(30, TimeUnit.SECONDS).close();
      String day = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString(); // within every retention whenever it runs
      String before = LocalDate.parse(day).minusDays(1).toString();
      String[] where = {"--clickhouse", ch.url(), "--user", ch.user(), "--database", db, "--out", dir.resolve("out").toString()};
      CliRun first = new CliRun();
      // creates the schema on an empty database: an empty day is consistent
      assertThat(first.run(concat(new String[] {"reconcile", "--date", day}, where))).as(first.err.toString()).isZero();
      c.insert(db + ".llm_calls", new ByteArrayInputStream("""
          {"event_id":"a","ts":"DAY 10:00:01.000","tenant_id":"acme","model":"claude-sonnet-4-6","cost_nanos":2000000000}
          {"event_id":"b","ts":"DAY 10:00:02.000","tenant_id":"beta","model":"claude-sonnet-4-6","cost_nanos":1000000000}
          """.replace("DAY", day).getBytes(StandardCharsets.UTF_8)), ClickHouseFormat.JSONEachRow, new InsertSettings()).get(30, TimeUnit.SECONDS).close();
      c.insert(db + ".cost_windows_shards", new ByteArrayInputStream("""
          {"window_start":"DAY 10:00:00.000","window_end":"DAY 10:01:00.000","window_size_ms":60000,"tenant_id":"acme","model":"claude-sonnet-4-6","calls":1,"cost_nanos":2000000000,"version":1}
          {"window_start":"DAY 10:00:00.000","window_end":"DAY 10:01:00.000","window_size_ms":60000,"tenant_id":"beta","model":"claude-sonnet-4-6","calls":1,"cost_nanos":1000000000,"version":1}
          """.replace("DAY", day).getBytes(StandardCharsets.UTF_8)), ClickHouseFormat.JSONEachRow, new InsertSettings()).get(30, TimeUnit.SECONDS).close();
      Path invoice = Files.writeString(dir.resolve("inv.csv"), "date,model,token_type,cost_usd\n" + day + ",claude-sonnet-4-6,input,3.03\n");
      CliRun ok = new CliRun();
      assertThat(ok.run(concat(new String[] {"reconcile", "--date", day, "--invoice", invoice.toString()}, where)))
          .as(ok.out + "" + ok.err).isZero();
      assertThat(ok.out.toString()).contains(day + "  OK  our cost 3.000000000, billed 3.030000000")
          .contains("acme").contains("2.020000000").contains("1.010000000").contains("0.99%  ok"); // relative to the invoice: 0.03 / 3.03
      CliRun strict = new CliRun();
      assertThat(strict.run(concat(new String[] {"reconcile", "--since", before, "--date", day, "--invoice",
          invoice.toString(), "--tolerance", "0.5%"}, where))).isEqualTo(ReconcileCommand.FINDINGS);
      assertThat(strict.out.toString()).contains(before + "  OK").contains(day + "  NEEDS ATTENTION").contains("FLAGGED");
      CliRun bad = new CliRun();
      assertThat(bad.run(concat(new String[] {"reconcile", "--date", day, "--tolerance", "lots"}, where)))
          .isEqualTo(FriendlyErrors.USAGE_ERROR);
      assertThat(bad.err.toString()).contains("--tolerance: 'lots'");
      CliRun down = new CliRun();
      assertThat(down.run("reconcile", "--date", day, "--clickhouse", "http://127.0.0.1:1", "--database", db, "--out",
          dir.toString())).isEqualTo(1);
      assertThat(down.err.toString()).startsWith("error: reconciliation failed").doesNotContain("\tat ");
      c.execute("DROP DATABASE " + db).get(30, TimeUnit.SECONDS).close();
    }
    assertThat(ReconcileCommand.parseTolerance("2%")).isEqualByComparingTo(new BigDecimal("0.02"));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
