package io.spendstream.chargeback;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClickHouseException;
import io.spendstream.chargeback.clickhouse.ChargebackTable;
import io.spendstream.chargeback.clickhouse.UsageQueries;
import io.spendstream.chargeback.invoice.InvoiceLine;
import io.spendstream.chargeback.invoice.InvoiceReader;
import io.spendstream.chargeback.output.CsvReports;
import io.spendstream.chargeback.output.FocusExport;
import io.spendstream.ops.Failures;
import io.spendstream.sink.schema.MigrationException;
import io.spendstream.sink.schema.Migrator;
import io.spendstream.sink.schema.SchemaConfig;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reconciliation run: make sure the schema is there, then per day read the three paths, reconcile, replace the
 * day in chargeback_daily and write the day's files. Days are independent; rerunning one replaces its results.
 */
public final class Reconcile {
  private static final Logger LOG = LoggerFactory.getLogger(Reconcile.class);

  private Reconcile() {}

  public static List<DayResult> run(ReconcileSettings s, Clock clock) {
    List<InvoiceLine> invoice = s.invoice() == null ? null : InvoiceReader.read(s.invoice());
    try (Client client = new Client.Builder().addEndpoint(s.clickhouseUrl()).setUsername(s.user()).setPassword(s.password())
        .build()) {
      Migrator.migrate(client, SchemaConfig.singleNode(s.database()));
      UsageQueries usage = new UsageQueries(client, s.database());
      ChargebackTable table = new ChargebackTable(client, s.database());
      String runId = UUID.randomUUID().toString();
      List<DayResult> out = new ArrayList<>();
      for (LocalDate d = s.from(); !d.isAfter(s.to()); d = d.plusDays(1)) {
        DayResult r;
        try {
          r = DayReconciler.reconcile(d, usage.day(d), invoice, s.tolerance());
        } catch (ArithmeticException e) { // a sum past 64 bits: say which day, never write a wrapped bill
          throw new ReconcileFailedException("reconciliation of " + d + " failed: a sum of that day does not fit 64 bits ("
              + e.getMessage() + "); no row of that day was written", e);
        }
        Instant at = clock.instant();
        table.replaceDay(r, runId, at);
        CsvReports.write(s.outDir().resolve(d.toString()), r);
        FocusExport.write(s.outDir().resolve(d.toString()).resolve("focus.csv"), r, s.billingAccount(), s.focusVersion());
        LOG.info("event=reconciled day={} run_id={} rows={} discrepancies={} flagged_models={} our_nanos={} billed_nanos={} ok={}",
            d, runId, r.rows().size(), r.discrepancies().size(), r.comparisons().stream().filter(ModelComparison::flagged).count(),
            r.ourTotalNanos(), r.billedTotalNanos(), r.ok());
        out.add(r);
      }
      return out;
    } catch (ClickHouseException | MigrationException | UncheckedIOException e) {
      throw new ReconcileFailedException("reconciliation failed: " + Failures.rootMessage(e), e);
    }
  }
}
