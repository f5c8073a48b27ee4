package io.spendstream.infra.clickhouse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse HTTP interface over chDB: {@code /ping}; queries in the {@code query} URL parameter
 * and/or the body; {@code database}, {@code default_format}, {@code query_id}, {@code param_*} and any
 * setting as URL parameters; basic auth, {@code X-ClickHouse-User/Key} or user/password parameters;
 * {@code compress=1}/{@code decompress=1} native compression and gzip/deflate/lz4 HTTP compression;
 * errors with ClickHouse's status codes, body and {@code X-ClickHouse-Exception-Code}.
 */
final class ClickHouseHttpHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseHttpHandler.class);
  private static final Set<String> RESERVED = Set.of("query", "database", "default_format", "query_id", "user",
      "password", "compress", "decompress", "enable_http_compression", "session_id", "session_timeout",
      "session_check", "wait_end_of_query", "buffer_size", "role", "http_headers_progress_interval_ms",
      "send_progress_in_http_headers", "http_response_buffer_size", "quota_key");
  private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final int MAX_QUERY_BYTES = 1 << 20;
  private static final Set<String> READ_ONLY_STATEMENTS = Set.of("SELECT", "WITH", "SHOW", "DESCRIBE", "DESC",
      "EXPLAIN", "EXISTS", "CHECK");

  private final EndpointConfig config;
  private final ChdbEngine engine;
  private final String timezone;
  private final Path tmpDir;

  ClickHouseHttpHandler(EndpointConfig config, ChdbEngine engine, String timezone, Path tmpDir) {
    this.config = config;
    this.engine = engine;
    this.timezone = timezone;
    this.tmpDir = tmpDir;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/ping") || path.equals("/") && ex.getRequestMethod().equals("GET")
          && ex.getRequestURI().getRawQuery() == null) {
        send(ex, 200, "text/plain; charset=UTF-8", "Ok.\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!path.equals("/")) {
        fail(ex, ClickHouseError.of(ClickHouseError.NOT_IMPLEMENTED, "NOT_IMPLEMENTED",
            "no handler for " + path + " (this endpoint serves /, /ping)"), null);
        return;
      }
      String browser = fromWebPage(ex);
      if (browser != null) {
        fail(ex, ClickHouseError.of(ClickHouseError.ACCESS_DENIED, "ACCESS_DENIED", "requests from web pages are refused ("
            + browser + "): this endpoint serves programs and shells, and a page must not reach it"), null);
        return;
      }
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("POST")) {
        fail(ex, ClickHouseError.of(ClickHouseError.NOT_IMPLEMENTED, "NOT_IMPLEMENTED", "HTTP method " + method
            + " is not supported; use GET or POST"), null);
        return;
      }
      query(ex, method);
    } catch (RuntimeException | IOException e) {
      log.warn("component=clickhouse event=request_failed cause=\"{}\"", e.toString());
      throw e;
    }
  }

  private void query(HttpExchange ex, String method) throws IOException {
    Map<String, String> params = parseQuery(ex.getRequestURI().getRawQuery());
    String queryId = params.getOrDefault("query_id", UUID.randomUUID().toString());
    if (anonymous(ex, params)) {
      fail(ex, ClickHouseError.of(ClickHouseError.AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED",
          "authentication required: send a user and password (basic auth, X-ClickHouse-User/X-ClickHouse-Key, or"
              + " user/password parameters)"), queryId);
      return;
    }
    ChdbConnection conn = authenticate(ex, params);
    if (conn == null) {
      fail(ex, ClickHouseError.of(ClickHouseError.AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED",
          userOf(ex, params) + ": Authentication failed: password is incorrect, or there is no user with such name"), queryId);
      return;
    }
    String contentType = ex.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
      fail(ex, ClickHouseError.of(ClickHouseError.NOT_IMPLEMENTED, "NOT_IMPLEMENTED",
          "multipart requests are not supported by this development endpoint; pass the query in the URL or body"), queryId);
      return;
    }
    Path body = Files.createTempFile(tmpDir, "body-", ".bin");
    Path data = null;
    try {
      try (InputStream in = requestBody(ex, params)) {
        Files.copy(in, body, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        fail(ex, ClickHouseError.of(ClickHouseError.CANNOT_DECOMPRESS, "CANNOT_DECOMPRESS",
            "cannot read the request body: " + e.getMessage()), queryId);
        return;
      }
      String sql = params.get("query");
      long bodySize = Files.size(body);
      if (sql == null) {
        if (bodySize == 0) {
          fail(ex, ClickHouseError.of(ClickHouseError.SYNTAX_ERROR, "SYNTAX_ERROR", "Empty query"), queryId);
          return;
        }
        byte[] head = readHead(body, MAX_QUERY_BYTES);
        String text = new String(head, StandardCharsets.UTF_8);
        InsertPlan plan = InsertPlan.of(text);
        if (plan == null && bodySize > MAX_QUERY_BYTES) {
          fail(ex, ClickHouseError.of(ClickHouseError.SYNTAX_ERROR, "SYNTAX_ERROR",
              "Max query size exceeded (" + MAX_QUERY_BYTES + " bytes)"), queryId);
          return;
        }
        if (plan != null) {
          long offset = text.substring(0, plan.inlineDataOffset()).getBytes(StandardCharsets.UTF_8).length;
          data = tail(body, offset);
          sql = text.substring(0, plan.inlineDataOffset());
        } else {
          sql = text;
        }
      } else {
        InsertPlan plan = InsertPlan.of(sql);
        if (plan != null) {
          String inline = sql.substring(plan.inlineDataOffset());
          data = inline.isBlank() ? body : prepend(inline, body);
          sql = sql.substring(0, plan.inlineDataOffset());
        } else if (bodySize > 0) {
          // ClickHouse appends the body to the query parameter's text
          sql = sql + "\n" + new String(readHead(body, MAX_QUERY_BYTES), StandardCharsets.UTF_8);
        }
      }
      run(ex, method, params, conn, sql, data, queryId);
    } finally {
      Files.deleteIfExists(body);
      if (data != null) {
        Files.deleteIfExists(data);
      }
    }
  }

  private void run(HttpExchange ex, String method, Map<String, String> params, ChdbConnection conn, String sql,
      Path data, String queryId) throws IOException {
    InsertPlan insert = data == null ? null : InsertPlan.of(sql);
    String statement = insert != null ? insert.withInfile(data.toAbsolutePath().toString()) : sql;
    if (insert == null) {
      if (SqlText.hasMoreThanOneStatement(sql)) {
        fail(ex, ClickHouseError.of(ClickHouseError.SYNTAX_ERROR, "SYNTAX_ERROR", "Multi-statements are not allowed"), queryId);
        return;
      }
      if (SqlText.containsWord(sql, "INFILE") || SqlText.containsWord(sql, "OUTFILE")) {
        fail(ex, ClickHouseError.of(ClickHouseError.NOT_IMPLEMENTED, "NOT_IMPLEMENTED",
            "INFILE/OUTFILE name files on the server and are not allowed over HTTP"), queryId);
        return;
      }
      statement = SqlText.withoutTrailingSemicolon(sql);
    }
    String keyword = SqlText.firstKeyword(statement);
    boolean readOnlyStatement = READ_ONLY_STATEMENTS.contains(keyword);
    if (method.equals("GET") && !readOnlyStatement) {
      fail(ex, ClickHouseError.of(ClickHouseError.READONLY, "READONLY",
          "Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries"), queryId);
      return;
    }
    if (conn == engine.readOnly() && (keyword.equals("SET") || keyword.equals("USE"))) {
      fail(ex, ClickHouseError.of(ClickHouseError.READONLY, "READONLY", config.readOnlyUser()
          + ": Cannot execute query in readonly mode"), queryId);
      return;
    }
    if (conn == engine.readOnly()) {
      java.util.Optional<String> refused = OnCallGuard.refusal(statement);
      if (refused.isPresent()) {
        fail(ex, ClickHouseError.of(ClickHouseError.ACCESS_DENIED, "ACCESS_DENIED", config.readOnlyUser() + ": "
            + refused.get()), queryId);
        return;
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> queryParams = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (p.getKey().startsWith("param_")) {
        queryParams.put(p.getKey().substring(6), p.getValue());
      } else if (!RESERVED.contains(p.getKey())) {
        if (!SETTING_NAME.matcher(p.getKey()).matches()) {
          fail(ex, ClickHouseError.of(ClickHouseError.UNKNOWN_SETTING, "UNKNOWN_SETTING", "Unknown setting '"
              + p.getKey() + "'"), queryId);
          return;
        }
        if (conn == engine.readOnly() && (config.readOnlyLimits().containsKey(p.getKey()) || OnCallGuard.limitSetting(p.getKey()))) {
          fail(ex, ClickHouseError.of(ClickHouseError.SETTING_CONSTRAINT_VIOLATION, "SETTING_CONSTRAINT_VIOLATION",
              "Setting " + p.getKey() + " should not be changed by " + config.readOnlyUser()), queryId);
          return;
        }
        settings.put(p.getKey(), p.getValue());
      }
    }
    String format = params.getOrDefault("default_format", headerOr(ex, "X-ClickHouse-Format", "TabSeparated"));
    String database = params.getOrDefault("database", headerOr(ex, "X-ClickHouse-Database", "default"));
    long t0 = System.nanoTime();
    log.debug("component=clickhouse event=query query_id={} session={} keyword={} format={} database={} settings={} params={}",
        queryId, conn.name(), keyword, format, database, settings.keySet(), queryParams.keySet());
    QueryResult result = execute(conn, database, settings, statement, format, queryParams);
    long elapsedNs = System.nanoTime() - t0;
    if (!result.ok()) {
      log.info("component=clickhouse event=query_failed query_id={} user_session={} error=\"{}\"", queryId, conn.name(),
          firstLine(result.error()));
      fail(ex, ClickHouseError.fromEngine(result.error()), queryId);
      return;
    }
    String outFormat = SqlText.trailingFormat(statement) != null && insert == null ? SqlText.trailingFormat(statement) : format;
    ex.getResponseHeaders().set("X-ClickHouse-Format", outFormat);
    ex.getResponseHeaders().set("X-ClickHouse-Summary", summary(result, elapsedNs));
    ex.getResponseHeaders().set("X-ClickHouse-Query-Id", queryId);
    respond(ex, params, contentTypeOf(outFormat), result.data());
  }

  private QueryResult execute(ChdbConnection conn, String database, Map<String, String> settings, String statement,
      String format, Map<String, String> queryParams) {
    synchronized (conn) {
      QueryResult use = conn.query("USE " + quoteIdentifier(database), "TabSeparated", Map.of());
      if (!use.ok()) {
        return use;
      }
      for (Map.Entry<String, String> s : settings.entrySet()) {
        QueryResult set = conn.query("SET " + s.getKey() + " = " + literal(s.getValue()), "TabSeparated", Map.of());
        if (!set.ok()) {
          resetSettings(conn, settings);
          return set;
        }
      }
      try {
        return conn.query(statement, format, queryParams);
      } finally {
        resetSettings(conn, settings);
      }
    }
  }

  private static void resetSettings(ChdbConnection conn, Map<String, String> settings) {
    for (String name : settings.keySet()) {
      conn.query("SET " + name + " = DEFAULT", "TabSeparated", Map.of());
    }
  }

  /**
   * Why this request comes from a web page, or null: browsers send {@code Origin} on cross-origin requests
   * (and on every POST) and {@code Sec-Fetch-Site}; programs and curl send neither. A page the operator
   * opens must never reach this port (CSRF), whatever content type it uses.
   */
  private static String fromWebPage(HttpExchange ex) {
    String origin = ex.getRequestHeaders().getFirst("Origin");
    if (origin != null) {
      return "Origin: " + origin;
    }
    String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null && !site.equalsIgnoreCase("none")) {
      return "Sec-Fetch-Site: " + site;
    }
    return null;
  }

  /** No credentials of any kind: refused (ClickHouse itself would run it as its default user). */
  private static boolean anonymous(HttpExchange ex, Map<String, String> params) {
    return ex.getRequestHeaders().getFirst("Authorization") == null && ex.getRequestHeaders().getFirst("X-ClickHouse-User") == null
        && ex.getRequestHeaders().getFirst("X-ClickHouse-Key") == null && !params.containsKey("user")
        && !params.containsKey("password");
  }

  private ChdbConnection authenticate(HttpExchange ex, Map<String, String> params) {
    String user = userOf(ex, params);
    String password = "";
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      password = colon < 0 ? "" : decoded.substring(colon + 1);
    } else if (ex.getRequestHeaders().getFirst("X-ClickHouse-Key") != null) {
      password = ex.getRequestHeaders().getFirst("X-ClickHouse-Key");
    } else if (params.containsKey("password")) {
      password = params.get("password");
    }
    if (user.equals(config.adminUser()) && constantTimeEquals(password, config.adminPassword())) {
      return engine.admin();
    }
    if (user.equals(config.readOnlyUser()) && constantTimeEquals(password, config.readOnlyPassword())) {
      return engine.readOnly();
    }
    return null;
  }

  private String userOf(HttpExchange ex, Map<String, String> params) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? decoded : decoded.substring(0, colon);
      } catch (IllegalArgumentException badBase64) {
        return "";
      }
    }
    String header = ex.getRequestHeaders().getFirst("X-ClickHouse-User");
    if (header != null) {
      return header;
    }
    return params.getOrDefault("user", config.adminUser());
  }

  private static boolean constantTimeEquals(String a, String b) {
    return java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private InputStream requestBody(HttpExchange ex, Map<String, String> params) throws IOException {
    InputStream in = ex.getRequestBody();
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      in = switch (encoding.toLowerCase(Locale.ROOT)) {
        case "gzip" -> new GZIPInputStream(in);
        case "deflate" -> new InflaterInputStream(in);
        case "lz4" -> new LZ4FrameInputStream(in);
        default -> throw new IOException("unsupported Content-Encoding " + encoding + " (gzip, deflate, lz4)");
      };
    }
    if ("1".equals(params.get("decompress"))) {
      in = new java.io.ByteArrayInputStream(NativeCompression.decompress(in));
    }
    return in;
  }

  private void respond(HttpExchange ex, Map<String, String> params, String contentType, byte[] data) throws IOException {
    byte[] out = data;
    if ("1".equals(params.get("compress"))) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(data.length / 2 + 64);
      NativeCompression.compress(data, buf);
      out = buf.toByteArray();
    } else if ("1".equals(params.get("enable_http_compression"))) {
      String accept = String.valueOf(ex.getRequestHeaders().getFirst("Accept-Encoding")).toLowerCase(Locale.ROOT);
      ByteArrayOutputStream buf = new ByteArrayOutputStream(data.length / 2 + 64);
      if (accept.contains("gzip")) {
        try (OutputStream z = new GZIPOutputStream(buf)) {
          z.write(data);
        }
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        out = buf.toByteArray();
      } else if (accept.contains("deflate")) {
        try (OutputStream z = new DeflaterOutputStream(buf)) {
          z.write(data);
        }
        ex.getResponseHeaders().set("Content-Encoding", "deflate");
        out = buf.toByteArray();
      }
    }
    send(ex, 200, contentType, out);
  }

  private void fail(HttpExchange ex, ClickHouseError error, String queryId) throws IOException {
    ex.getResponseHeaders().set("X-ClickHouse-Exception-Code", String.valueOf(error.code()));
    if (queryId != null) {
      ex.getResponseHeaders().set("X-ClickHouse-Query-Id", queryId);
    }
    send(ex, error.httpStatus(), "text/plain; charset=UTF-8", (error.message() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("X-ClickHouse-Server-Display-Name", "spendstream-chdb");
    ex.getResponseHeaders().set("X-ClickHouse-Timezone", timezone);
    ex.getResponseHeaders().set("Keep-Alive", "timeout=10");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }

  private static String summary(QueryResult r, long elapsedNs) {
    return "{\"read_rows\":\"" + r.rowsRead() + "\",\"read_bytes\":\"" + r.bytesRead() + "\",\"written_rows\":\""
        + r.rowsWritten() + "\",\"written_bytes\":\"" + r.bytesWritten() + "\",\"total_rows_to_read\":\"0\","
        + "\"result_rows\":\"" + (r.rowsWritten() > 0 ? r.rowsWritten() : r.rowsRead()) + "\",\"result_bytes\":\""
        + r.data().length + "\",\"elapsed_ns\":\"" + elapsedNs + "\"}";
  }

  static String contentTypeOf(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    if (f.startsWith("json")) {
      return "application/json; charset=UTF-8";
    }
    if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
      return "text/tab-separated-values; charset=UTF-8";
    }
    if (f.startsWith("csv")) {
      return "text/csv; charset=UTF-8; header=absent";
    }
    if (f.startsWith("rowbinary") || f.equals("native") || f.startsWith("arrow") || f.equals("parquet")) {
      return "application/octet-stream";
    }
    return "text/plain; charset=UTF-8";
  }

  private static String headerOr(HttpExchange ex, String name, String fallback) {
    String v = ex.getRequestHeaders().getFirst(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static String quoteIdentifier(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  private static String literal(String value) {
    return NUMBER.matcher(value).matches() ? value : "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static byte[] readHead(Path file, int max) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(max);
    }
  }

  private Path tail(Path file, long offset) throws IOException {
    Path out = Files.createTempFile(tmpDir, "data-", ".bin");
    try (var src = java.nio.channels.FileChannel.open(file); var dst = java.nio.channels.FileChannel.open(out,
        java.nio.file.StandardOpenOption.WRITE)) {
      long size = src.size();
      long pos = offset;
      while (pos < size) {
        pos += src.transferTo(pos, size - pos, dst);
      }
    }
    return out;
  }

  private Path prepend(String inline, Path body) throws IOException {
    Path out = Files.createTempFile(tmpDir, "data-", ".bin");
    try (OutputStream o = Files.newOutputStream(out)) {
      o.write(inline.getBytes(StandardCharsets.UTF_8));
      Files.copy(body, o);
    }
    return out;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).replace('"', '\'');
  }
}
