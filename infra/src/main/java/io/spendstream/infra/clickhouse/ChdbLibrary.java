package io.spendstream.infra.clickhouse;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

/** Downcall handles for the chDB C API (chdb.h, libchdb.so 26.5), via Java's FFM API. */
final class ChdbLibrary {
  private static final AddressLayout A = ValueLayout.ADDRESS;
  private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;

  final MethodHandle setSignalHandlersEnabled;
  final MethodHandle connect;
  final MethodHandle closeConn;
  final MethodHandle queryN;
  final MethodHandle queryWithParams;
  final MethodHandle resultBuffer;
  final MethodHandle resultLength;
  final MethodHandle resultError;
  final MethodHandle rowsRead;
  final MethodHandle bytesRead;
  final MethodHandle rowsWritten;
  final MethodHandle bytesWritten;
  final MethodHandle elapsed;
  final MethodHandle destroyResult;

  private ChdbLibrary(SymbolLookup s) {
    Linker l = Linker.nativeLinker();
    setSignalHandlersEnabled = l.downcallHandle(find(s, "chdb_set_signal_handlers_enabled"),
        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
    connect = l.downcallHandle(find(s, "chdb_connect"), FunctionDescriptor.of(A, ValueLayout.JAVA_INT, A));
    closeConn = l.downcallHandle(find(s, "chdb_close_conn"), FunctionDescriptor.ofVoid(A));
    queryN = l.downcallHandle(find(s, "chdb_query_n"), FunctionDescriptor.of(A, A, A, J, A, J));
    queryWithParams = l.downcallHandle(find(s, "chdb_query_with_params"), FunctionDescriptor.of(A, A, A, A, A, A, J));
    resultBuffer = l.downcallHandle(find(s, "chdb_result_buffer"), FunctionDescriptor.of(A, A));
    resultLength = l.downcallHandle(find(s, "chdb_result_length"), FunctionDescriptor.of(J, A));
    resultError = l.downcallHandle(find(s, "chdb_result_error"), FunctionDescriptor.of(A, A));
    rowsRead = l.downcallHandle(find(s, "chdb_result_rows_read"), FunctionDescriptor.of(J, A));
    bytesRead = l.downcallHandle(find(s, "chdb_result_bytes_read"), FunctionDescriptor.of(J, A));
    rowsWritten = l.downcallHandle(find(s, "chdb_result_rows_written"), FunctionDescriptor.of(J, A));
    bytesWritten = l.downcallHandle(find(s, "chdb_result_bytes_written"), FunctionDescriptor.of(J, A));
    elapsed = l.downcallHandle(find(s, "chdb_result_elapsed"), FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, A));
    destroyResult = l.downcallHandle(find(s, "chdb_destroy_query_result"), FunctionDescriptor.ofVoid(A));
  }

  static ChdbLibrary load(Path so) {
    return new ChdbLibrary(SymbolLookup.libraryLookup(so, Arena.global()));
  }

  private static MemorySegment find(SymbolLookup s, String name) {
    return s.find(name).orElseThrow(() -> new IllegalStateException("libchdb.so has no symbol " + name
        + "; is it the pinned chDB version?"));
  }

  /** chdb_connect with argv {"chdb", args...}; returns the connection pointer (chdb_connection*). */
  MemorySegment connect(List<String> args) {
    Arena arena = Arena.global(); // argv must outlive the call; a handful of bytes per connection
    MemorySegment argv = arena.allocate(A, args.size() + 1L);
    argv.setAtIndex(A, 0, arena.allocateFrom("chdb"));
    for (int i = 0; i < args.size(); i++) {
      argv.setAtIndex(A, i + 1L, arena.allocateFrom(args.get(i)));
    }
    try {
      return (MemorySegment) connect.invokeExact(args.size() + 1, argv);
    } catch (Throwable t) {
      throw new IllegalStateException("chdb_connect failed: " + t.getMessage(), t);
    }
  }
}
