package io.spendstream.infra.clickhouse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One chDB session (its own current database and settings). A session runs one statement at a time,
 * so every use holds this object's lock, including multi-statement sequences such as
 * {@code USE db; SET x = 1; <query>; SET x = DEFAULT}.
 */
public final class ChdbConnection {
  private final ChdbLibrary lib;
  private final String name;
  private MemorySegment handlePtr;
  private MemorySegment handle;

  ChdbConnection(ChdbLibrary lib, String name, MemorySegment handlePtr) {
    this.lib = lib;
    this.name = name;
    this.handlePtr = handlePtr;
    this.handle = handlePtr.reinterpret(ValueLayout.ADDRESS.byteSize()).get(ValueLayout.ADDRESS, 0);
  }

  public String name() {
    return name;
  }

  /** Runs one statement; {@code format} is the output format unless the SQL names its own. */
  public synchronized QueryResult query(String sql, String format, Map<String, String> params) {
    if (handle == null) {
      return QueryResult.failed("Code: 210. DB::Exception: chDB connection '" + name + "' is closed. (NETWORK_ERROR)");
    }
    try (Arena arena = Arena.ofConfined()) {
      byte[] sqlBytes = sql.getBytes(StandardCharsets.UTF_8);
      byte[] fmtBytes = format.getBytes(StandardCharsets.UTF_8);
      MemorySegment result;
      if (params.isEmpty()) {
        MemorySegment q = arena.allocate(sqlBytes.length + 1L);
        q.copyFrom(MemorySegment.ofArray(sqlBytes));
        result = (MemorySegment) lib.queryN.invokeExact(handle, q, (long) sqlBytes.length, arena.allocateFrom(format),
            (long) fmtBytes.length);
      } else {
        MemorySegment names = arena.allocate(ValueLayout.ADDRESS, params.size());
        MemorySegment values = arena.allocate(ValueLayout.ADDRESS, params.size());
        int i = 0;
        for (Map.Entry<String, String> p : params.entrySet()) {
          names.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(p.getKey()));
          values.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(p.getValue()));
          i++;
        }
        result = (MemorySegment) lib.queryWithParams.invokeExact(handle, arena.allocateFrom(sql),
            arena.allocateFrom(format), names, values, (long) params.size());
      }
      return read(result);
    } catch (Throwable t) {
      throw new IllegalStateException("chDB call failed: " + t.getMessage(), t);
    }
  }

  private QueryResult read(MemorySegment result) throws Throwable {
    if (result.equals(MemorySegment.NULL)) {
      return QueryResult.failed("Code: 1001. DB::Exception: chDB returned no result. (STD_EXCEPTION)");
    }
    try {
      MemorySegment err = (MemorySegment) lib.resultError.invokeExact(result);
      if (!err.equals(MemorySegment.NULL)) {
        return QueryResult.failed(err.reinterpret(Long.MAX_VALUE).getString(0));
      }
      long len = (long) lib.resultLength.invokeExact(result);
      byte[] data = new byte[0];
      if (len > 0) {
        MemorySegment buf = (MemorySegment) lib.resultBuffer.invokeExact(result);
        data = buf.reinterpret(len).toArray(ValueLayout.JAVA_BYTE);
      }
      return new QueryResult(data, null, (long) lib.rowsRead.invokeExact(result), (long) lib.bytesRead.invokeExact(result),
          (long) lib.rowsWritten.invokeExact(result), (long) lib.bytesWritten.invokeExact(result),
          (double) lib.elapsed.invokeExact(result));
    } finally {
      lib.destroyResult.invokeExact(result);
    }
  }

  synchronized void close() {
    if (handle != null) {
      try {
        lib.closeConn.invokeExact(handlePtr);
      } catch (Throwable t) {
        throw new IllegalStateException("chdb_close_conn failed", t);
      }
      handle = null;
      handlePtr = null;
    }
  }
}
