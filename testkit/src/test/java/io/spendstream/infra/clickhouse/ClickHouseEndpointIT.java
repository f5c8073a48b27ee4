package io.spendstream.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The official ClickHouse Java clients (client-v2, JDBC v2) and curl against the chDB-backed endpoint. */
@ExtendWith(RealInfraExtension.class)
class ClickHouseEndpointIT {
  private static final int ROWS = 1_000_000;
  private Client client;
  private ClickHouseEndpoint ch;
  private String db;

  @BeforeEach
  void setUp(ClickHouseEndpoint endpoint) throws Exception {
    ch = endpoint;
    client = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build();
    db = "it_" + UUID.randomUUID().toString().replace("-", "");
    client.execute("CREATE DATABASE " + db).get(30, TimeUnit.SECONDS).close();
  }

  @AfterEach
  void tearDown() throws Exception {
    client.execute("DROP DATABASE IF EXISTS " + db).get(30, TimeUnit.SECONDS).close();
    client.close();
  }

  @Test
  void clientV2CreatesInsertsAMillionRowsAndAggregatesExactly() throws Exception {
    client.execute("CREATE TABLE " + db + ".calls (id UInt64, tenant LowCardinality(String), cost_nanos Int64)"
        + " ENGINE = MergeTree ORDER BY id").get(30, TimeUnit.SECONDS).close();
    // RowBinary, as a sink would write it: UInt64 LE, String as LEB128 length + bytes, Int64 LE
    ByteArrayOutputStream out = new ByteArrayOutputStream(ROWS * 24);
    ByteBuffer num = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    long expectedSum = 0;
    for (int i = 0; i < ROWS; i++) {
      out.write(num.clear().putLong(i).array(), 0, 8);
      byte[] tenant = ("tenant-" + (i % 7)).getBytes(StandardCharsets.UTF_8);
      out.write(tenant.length);
      out.write(tenant, 0, tenant.length);
      long cost = 1_000L * i + 7;
      expectedSum += cost;
      out.write(num.clear().putLong(cost).array(), 0, 8);
    }
    try (InsertResponse r = client.insert(db + ".calls", new ByteArrayInputStream(out.toByteArray()),
        ClickHouseFormat.RowBinary).get(120, TimeUnit.SECONDS)) {
      assertThat(r.getWrittenRows()).isEqualTo(ROWS);
    }
    List<GenericRecord> rows = client.queryAll("SELECT count() AS n, sum(cost_nanos) AS total, uniqExact(tenant) AS tenants FROM "
        + db + ".calls");
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().getLong("n")).isEqualTo(ROWS);
    assertThat(rows.getFirst().getBigInteger("total").longValueExact()).isEqualTo(expectedSum);
    assertThat(rows.getFirst().getLong("tenants")).isEqualTo(7);
  }

  @Test
  void clientV2GetsClickHouseErrorsBack() {
    ServerException unknownTable = serverError(() -> client.queryAll("SELECT * FROM " + db + ".nosuch"));
    assertThat(unknownTable.getCode()).isEqualTo(60);
    assertThat(unknownTable.getTransportProtocolCode()).isEqualTo(404);
    assertThat(unknownTable.getMessage()).contains("UNKNOWN_TABLE");
    ServerException syntax = serverError(() -> client.queryAll("SELEC 1"));
    assertThat(syntax.getCode()).isEqualTo(62);
    assertThat(syntax.getTransportProtocolCode()).isEqualTo(400);
  }

  @Test
  void queryParametersAreBoundByTheEngine() {
    List<GenericRecord> rows = client.queryAll("SELECT {a:UInt32} + 1 AS x, {s:String} AS s",
        java.util.Map.of("a", 41, "s", "it's"));
    assertThat(rows.getFirst().getLong("x")).isEqualTo(42);
    assertThat(rows.getFirst().getString("s")).isEqualTo("it's");
  }

  @Test
  void readOnlyUserCanQueryButNotWrite() throws Exception {
    client.execute("CREATE TABLE " + db + ".t (a UInt8) ENGINE = MergeTree ORDER BY a").get(30, TimeUnit.SECONDS).close();
    try (Client oncall = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.readOnlyUser())
        .setPassword(ch.readOnlyPassword()).build()) {
      assertThat(oncall.queryAll("SELECT count() AS n FROM " + db + ".t").getFirst().getLong("n")).isZero();
      assertThat(serverError(() -> oncall.execute("INSERT INTO " + db + ".t VALUES (1)").get(30, TimeUnit.SECONDS))
          .getCode()).isEqualTo(164);
      assertThat(serverError(() -> oncall.execute("DROP TABLE " + db + ".t").get(30, TimeUnit.SECONDS))
          .getMessage()).contains("readonly");
    }
    try (Client wrong = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.readOnlyUser()).setPassword("nope").build()) {
      assertThat(serverError(() -> wrong.queryAll("SELECT 1")).getCode()).isEqualTo(516);
    }
  }

  @Test
  void jdbcV2CreatesInsertsAMillionRowsAndAggregates() throws Exception {
    com.clickhouse.jdbc.Driver.load(); // jdbc-v2 0.11 does not register itself with DriverManager on class load
    Properties p = new Properties();
    p.setProperty("user", ch.user());
    p.setProperty("password", ch.password());
    try (Connection c = DriverManager.getConnection(ch.url().replace("http://", "jdbc:clickhouse://") + "/" + db, p);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id UInt64, v Float64, name String) ENGINE = MergeTree ORDER BY id");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v, name) VALUES (?, ?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          ps.setLong(1, i);
          ps.setDouble(2, i * 0.5);
          ps.setString(3, i % 2 == 0 ? "even" : "odd\n\nwith blank lines");
          ps.addBatch();
          if ((i + 1) % 250_000 == 0) {
            ps.executeBatch();
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(), sum(id), countIf(name = 'even') FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(ROWS);
        assertThat(rs.getLong(2)).isEqualTo((long) ROWS * (ROWS - 1) / 2);
        assertThat(rs.getLong(3)).isEqualTo(ROWS / 2);
      }
      assertThatThrownBy(() -> s.executeQuery("SELECT nosuchcolumn FROM t")).isInstanceOf(SQLException.class)
          .hasMessageContaining("UNKNOWN_IDENTIFIER");
    }
  }

  @Test
  void curlWorksAsAUserWouldUseIt() throws Exception {
    String admin = ch.user() + ":" + ch.password();
    assertThat(curl("-s", ch.url() + "/ping")).isEqualTo("Ok.\n");
    curl("-s", "-u", admin, "--data-binary", "CREATE TABLE " + db + ".kv (k String, v UInt32) ENGINE = MergeTree ORDER BY k", ch.url() + "/");
    // data with blank lines in the body (allowed between JSONEachRow rows and Values tuples): it must land
    // as data, never be cut off and run as SQL
    curl("-s", "-u", admin, "--data-binary", "INSERT INTO " + db + ".kv FORMAT JSONEachRow\n{\"k\":\"a\",\"v\":1}\n\n{\"k\":\"b\",\"v\":2}\n",
        ch.url() + "/");
    curl("-s", "-u", admin, "--data-binary", "INSERT INTO " + db + ".kv VALUES ('c', 3),\n\n('x\n\nDROP TABLE kv', 0)", ch.url() + "/");
    curl("-s", "-u", admin, "--data-binary", "d\t4\n", ch.url() + "/?query=INSERT%20INTO%20" + db + ".kv%20FORMAT%20TSV");
    assertThat(curl("-s", "-u", admin, ch.url() + "/?query=SELECT%20k,v%20FROM%20" + db + ".kv%20ORDER%20BY%20k%20FORMAT%20CSV"))
        .isEqualTo("\"a\",1\n\"b\",2\n\"c\",3\n\"d\",4\n\"x\n\nDROP TABLE kv\",0\n");
    assertThat(curl("-s", "-u", ch.readOnlyUser() + ":" + ch.readOnlyPassword(), "--data-binary",
        "SELECT sum(v) FROM " + db + ".kv", ch.url() + "/")).isEqualTo("10\n");
    String error = curl("-s", "-u", admin, "-i", "--data-binary", "SELECT * FROM " + db + ".missing", ch.url() + "/");
    assertThat(error).contains("404").containsIgnoringCase("X-ClickHouse-Exception-Code: 60").contains("Code: 60. DB::Exception:");
    assertThat(curl("-s", "-u", admin, "-i", ch.url() + "/?query=DROP%20TABLE%20" + db + ".kv")).contains("READONLY");
    assertThat(curl("-s", "-u", admin, "--data-binary", "SELECT 1; SELECT 2", ch.url() + "/")).contains("Multi-statements are not allowed");
  }

  @Test
  void anonymousRequestsAndWebPagesAreRefused() throws Exception {
    assertThat(curl("-s", "-i", "--data-binary", "DROP DATABASE " + db, ch.url() + "/")).startsWith("HTTP/1.1 401")
        .contains("authentication required");
    // what a page's fetch() or form post sends: refused whatever the credentials, the content type or the statement
    String admin = ch.user() + ":" + ch.password();
    assertThat(curl("-s", "-i", "-u", admin, "-H", "Origin: http://evil.example", "-H", "Content-Type: text/plain",
        "--data-binary", "DROP DATABASE " + db, ch.url() + "/")).startsWith("HTTP/1.1 403").contains("web pages");
    assertThat(curl("-s", "-i", "-u", admin, "-H", "Sec-Fetch-Site: cross-site", ch.url() + "/?query=SELECT+1"))
        .startsWith("HTTP/1.1 403");
    assertThat(client.queryAll("SELECT count() AS n FROM system.databases WHERE name = '" + db + "'").getFirst().getLong("n"))
        .as("the database is still there").isEqualTo(1);
  }

  @Test
  void theOnCallUserCannotReadFilesOrUrlsNorLiftItsLimits() throws Exception {
    String oncall = ch.readOnlyUser() + ":" + ch.readOnlyPassword();
    for (String sql : List.of("SELECT * FROM file('/etc/passwd', 'LineAsString')",
        "SELECT * FROM (SELECT * FROM `file`('/etc/passwd', 'LineAsString'))",
        "SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')",
        "SELECT * FROM remote('127.0.0.1', system.one)",
        "SELECT 1 SETTINGS max_execution_time = 0",
        "SELECT * FROM (SELECT 1 SETTINGS max_result_rows = 0)")) {
      assertThat(curl("-s", "-i", "-u", oncall, "--data-binary", sql, ch.url() + "/")).as(sql).startsWith("HTTP/1.1 403")
          .contains(ch.readOnlyUser() + ": ");
    }
    assertThat(curl("-s", "-i", "-u", oncall, ch.url() + "/?query=SELECT+1&max_execution_time=0"))
        .startsWith("HTTP/1.1 403").contains("SETTING_CONSTRAINT_VIOLATION");
    // the words inside a literal are text, not a call: allowed
    assertThat(curl("-s", "-u", oncall, "--data-binary", "SELECT 'file(x) SETTINGS'", ch.url() + "/")).isEqualTo("file(x) SETTINGS\n");
  }

  /** The ServerException the client raised, wherever it wrapped it. */
  private static ServerException serverError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).as("expected a server error").isNotNull();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ServerException se) {
        return se;
      }
    }
    throw new AssertionError("no ServerException in the cause chain", t);
  }

  private static String curl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("curl", "--max-time", "60"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(70, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("curl exit code, output: " + out).isZero();
    return out.replace("\r\n", "\n");
  }
}
