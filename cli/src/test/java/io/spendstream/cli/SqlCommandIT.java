package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** spendstream sql against the ClickHouse endpoint, as the read-only on-call user. */
@ExtendWith(RealInfraExtension.class)
class SqlCommandIT {
  private final CliRun cli = new CliRun();
  private final java.io.StringWriter out = cli.out;
  private final java.io.StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void printsATableCsvOrJsonAndOneLineOnErrors(ClickHouseEndpoint ch) {
    String[] where = {"--clickhouse", ch.url(), "--database", "default", "--user", ch.readOnlyUser()};
    assertThat(run(concat(new String[] {"sql", "SELECT {n:UInt8} + 1 AS answer, 'a,b' AS s", "--param", "n=41"}, where)))
        .as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("answer  s\n------  ---\n42      a,b\n(1 row)\n");
    out.getBuffer().setLength(0);
    assertThat(run(concat(new String[] {"sql", "SELECT 1 AS x", "--format", "csv"}, where))).isZero();
    assertThat(out.toString()).isEqualTo("x\n1\n");
    assertThat(run(concat(new String[] {"sql", "SELEC 1"}, where))).isEqualTo(SqlCommand.QUERY_FAILED);
    assertThat(err.toString().strip()).contains("Syntax error").doesNotContain("\n\tat ");
    assertThat(run(concat(new String[] {"sql", "CREATE TABLE t (a UInt8) ENGINE = Memory"}, where))).isEqualTo(SqlCommand.QUERY_FAILED);
    assertThat(err.toString()).contains("readonly");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
