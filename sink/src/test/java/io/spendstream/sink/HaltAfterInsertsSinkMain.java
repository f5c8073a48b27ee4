package io.spendstream.sink;

import io.spendstream.sink.check.ReportedCostCheck;
import io.spendstream.sink.kafka.RowWriter;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SinkMain} whose JVM halts right after its Nth acknowledged insert, before the batch is committed: a kill -9 at
 * the worst moment. Arguments: N, then SinkMain's.
 */
public final class HaltAfterInsertsSinkMain {
  private HaltAfterInsertsSinkMain() {}

  public static void main(String[] args) throws InterruptedException {
    int n = Integer.parseInt(args[0]);
    AtomicInteger inserts = new AtomicInteger();
    Sink sink = Sink.start(SinkMain.config(Arrays.copyOfRange(args, 1, args.length)), ReportedCostCheck.Settings.defaults(),
        clickhouse -> (RowWriter) (table, rows, token) -> {
          clickhouse.insert(table, rows, token);
          if (inserts.incrementAndGet() >= n) {
            System.err.println("halting after insert " + n + " (token " + token + "), before its commit");
            Runtime.getRuntime().halt(137);
          }
        });
    System.exit(sink.awaitStop() ? 0 : 1);
  }
}
