package io.spendstream.infra.clickhouse;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse engine in this process (chDB): one data path, an admin session and a read-only session
 * for the on-call user. chDB's own signal handlers are switched off before connecting, because they
 * would replace the JVM's and turn the first NullPointerException into a hang.
 */
public final class ChdbEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChdbEngine.class);
  private final ChdbConnection admin;
  private final ChdbConnection readOnly;

  private ChdbEngine(ChdbConnection admin, ChdbConnection readOnly) {
    this.admin = admin;
    this.readOnly = readOnly;
  }

  /**
   * Opens the engine on {@code dataDir}. The read-only session is locked with readonly=2 (no writes or
   * DDL; settings may change per query) and the given limits.
   */
  public static ChdbEngine open(Path libchdb, Path dataDir, Map<String, String> readOnlyLimits) {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create ClickHouse data dir " + dataDir + ": " + e.getMessage(), e);
    }
    long t0 = System.nanoTime();
    ChdbLibrary lib = ChdbLibrary.load(libchdb);
    try {
      lib.setSignalHandlersEnabled.invokeExact(0);
    } catch (Throwable t) {
      throw new IllegalStateException("chdb_set_signal_handlers_enabled failed", t);
    }
    String path = "--path=" + dataDir.toAbsolutePath();
    ChdbConnection admin = connect(lib, "admin", path);
    ChdbConnection ro = connect(lib, "readonly", path);
    for (Map.Entry<String, String> limit : readOnlyLimits.entrySet()) {
      requireOk(ro.query("SET " + limit.getKey() + " = " + limit.getValue(), "TabSeparated", Map.of()), "limit " + limit);
    }
    requireOk(ro.query("SET readonly = 2", "TabSeparated", Map.of()), "readonly");
    log.info("component=clickhouse event=engine_open data_dir={} open_ms={}", dataDir, (System.nanoTime() - t0) / 1_000_000);
    return new ChdbEngine(admin, ro);
  }

  private static ChdbConnection connect(ChdbLibrary lib, String name, String path) {
    MemorySegment ptr = lib.connect(List.of(path));
    if (ptr.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("chdb_connect(" + path + ") failed; is another process using this data path?");
    }
    return new ChdbConnection(lib, name, ptr);
  }

  private static void requireOk(QueryResult r, String what) {
    if (!r.ok()) {
      throw new IllegalStateException("chDB refused " + what + ": " + r.error());
    }
  }

  public ChdbConnection admin() {
    return admin;
  }

  public ChdbConnection readOnly() {
    return readOnly;
  }

  @Override
  public void close() {
    readOnly.close();
    admin.close();
    log.info("component=clickhouse event=engine_closed");
  }
}
