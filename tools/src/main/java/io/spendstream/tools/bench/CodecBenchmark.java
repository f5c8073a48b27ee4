package io.spendstream.tools.bench;

import io.spendstream.schemas.AvroTrust;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.shard.TaskPartialSerde;
import io.spendstream.stream.shard.TaskRunSerde;
import io.spendstream.stream.state.avro.TaskPartial;
import io.spendstream.stream.state.avro.TaskRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The stream processor's hand-written varint state codecs against Avro for the same records (the task partial, read and
 * written once per call with a task_id, and the task run of the merge stage): Avro's reflective writer and reader (Avro's
 * default) and its generated custom coders (what {@code InternalAvroSerde} uses for the processor's other state),
 * beside a bare baseline in the same run: constructing an equal record from the fields (the object every decoder must
 * end with, no bytes). Times are
 * medians of several rounds over the same records; bytes per record (deterministic) and bytes allocated per round trip
 * (nearly so) stand beside them.
 */
public final class CodecBenchmark {
  /** One codec's figures for one record type. */
  public record Row(String record, String codec, double encodeNanos, double decodeNanos, double bytesPerRecord,
      double allocatedPerRoundTrip) {}

  /** A way to turn a record into bytes and back. */
  interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);
  }

  private CodecBenchmark() {}

  public static List<Row> run(int records, int rounds) {
    AvroTrust.ensure();
    List<TaskPartial> partials = partials(records, 42);
    List<TaskRun> runs = runs(partials);
    List<Row> rows = new ArrayList<>();
    rows.addAll(measure("TaskPartial", partials, rounds, List.of(
        named("varint (ours)", codec(TaskPartialSerde::encode, TaskPartialSerde::decode)),
        named("Avro, reflective", reflective(TaskPartial.class)),
        named("Avro, custom coders", internal(TaskPartial.class))), CodecBenchmark::copy));
    rows.addAll(measure("TaskRun", runs, rounds, List.of(
        named("varint (ours)", codec(TaskRunSerde::encode, TaskRunSerde::decode)),
        named("Avro, reflective", reflective(TaskRun.class)),
        named("Avro, custom coders", internal(TaskRun.class))), r -> new TaskRun(copy(r.getRun()), r.getLifetimeCostNanos(),
        r.getHopsFired(), r.getCostFired(), r.getConversationFired(), new ArrayList<>(r.getChildren()))));
    return rows;
  }

  private static TaskPartial copy(TaskPartial p) {
    return new TaskPartial(p.getTenantId(), p.getTaskId(), p.getParentTaskId(), p.getStart(), p.getCalls(), p.getCostNanos(),
        p.getInputTokens(), p.getOutputTokens(), p.getCacheReadTokens(), p.getCacheCreationTokens(), p.getFirstAt(),
        p.getLastAt(), new ArrayList<>(p.getRoutes()), new ArrayList<>(p.getModels()));
  }

  record Named<T>(String name, Codec<T> codec) {}

  static <T> Named<T> named(String name, Codec<T> codec) {
    return new Named<>(name, codec);
  }

  /** The processor's Avro state codec (the generated coders). */
  static <T extends SpecificRecord> Codec<T> internal(Class<T> type) {
    InternalAvroSerde<T> serde = InternalAvroSerde.of(type);
    return codec(serde::encode, serde::decode);
  }

  static <T> Codec<T> codec(Function<T, byte[]> encode, Function<byte[], T> decode) {
    return new Codec<>() {
      public byte[] encode(T value) {
        return encode.apply(value);
      }

      public T decode(byte[] bytes) {
        return decode.apply(bytes);
      }
    };
  }

  /** Avro's specific writer and reader with the generated coders off (Avro's default). */
  static <T extends SpecificRecord> Codec<T> reflective(Class<T> type) {
    SpecificData data = new SpecificData();
    data.setCustomCoders(false);
    Schema schema = data.getSchema(type);
    SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema, data);
    SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema, schema, data);
    return new Codec<>() {
      public byte[] encode(T value) {
        try {
          ByteArrayOutputStream out = new ByteArrayOutputStream(256);
          BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
          writer.write(value, enc);
          enc.flush();
          return out.toByteArray();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      public T decode(byte[] bytes) {
        try {
          BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, null);
          return reader.read(null, dec);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private static <T> List<Row> measure(String record, List<T> values, int rounds, List<Named<T>> codecs, Function<T, T> copy) {
    List<Row> rows = new ArrayList<>();
    // the baseline: an equal object without bytes
    double[] copyTimes = new double[rounds];
    long copyAlloc = 0;
    for (int r = -3; r < rounds; r++) { // three warm-up rounds
      long a0 = allocated();
      long t0 = System.nanoTime();
      Object sink = null;
      for (T v : values) {
        sink = copy.apply(v);
      }
      long took = System.nanoTime() - t0;
      if (r >= 0) {
        copyTimes[r] = (double) took / values.size();
        copyAlloc = allocated() - a0;
      }
      blackhole(sink);
    }
    rows.add(new Row(record, "baseline: construct from fields", median(copyTimes), 0, 0, (double) copyAlloc / values.size()));
    for (Named<T> c : codecs) {
      byte[][] encoded = new byte[values.size()][];
      double[] enc = new double[rounds];
      double[] dec = new double[rounds];
      long alloc = 0;
      for (int r = -3; r < rounds; r++) {
        long a0 = allocated();
        long t0 = System.nanoTime();
        for (int i = 0; i < values.size(); i++) {
          encoded[i] = c.codec().encode(values.get(i));
        }
        long t1 = System.nanoTime();
        Object sink = null;
        for (byte[] b : encoded) {
          sink = c.codec().decode(b);
        }
        long t2 = System.nanoTime();
        if (r >= 0) {
          enc[r] = (double) (t1 - t0) / values.size();
          dec[r] = (double) (t2 - t1) / values.size();
          alloc = allocated() - a0;
        }
        blackhole(sink);
      }
      for (int i = 0; i < values.size(); i++) { // a codec that loses a field has no business being measured
        if (!c.codec().decode(encoded[i]).equals(values.get(i))) {
          throw new IllegalStateException(c.name() + " does not round-trip " + record + " " + i);
        }
      }
      long bytes = Arrays.stream(encoded).mapToLong(b -> b.length).sum();
      rows.add(new Row(record, c.name(), median(enc), median(dec), (double) bytes / values.size(),
          (double) alloc / values.size()));
    }
    return rows;
  }

  /** Task partials as the benchmark's traffic makes them: a few tenants, agent tasks, 1-3 routes and 1-2 models. */
  static List<TaskPartial> partials(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] routes = {"/v1/agent/step", "/v1/chat", "/v1/search/answer", "/tools/run", "/v1/summarize"};
    String[] models = {"claude-sonnet-4-6", "claude-haiku-4-5", "claude-opus-4-7"};
    List<TaskPartial> out = new ArrayList<>(n);
    long start = 1_800_000_000_000L;
    for (int i = 0; i < n; i++) {
      int calls = 1 + r.nextInt(40);
      long first = start + r.nextInt(60_000);
      List<String> rs = new ArrayList<>();
      for (int k = 0, m = 1 + r.nextInt(3); k < m; k++) {
        rs.add(routes[(i + k) % routes.length]);
      }
      List<String> ms = new ArrayList<>();
      for (int k = 0, m = 1 + r.nextInt(2); k < m; k++) {
        ms.add(models[(i + k) % models.length]);
      }
      out.add(TaskPartial.newBuilder().setTenantId("tenant-" + r.nextInt(50)).setTaskId("task-" + Long.toHexString(r.nextLong()))
          .setParentTaskId(r.nextInt(4) == 0 ? "task-" + Long.toHexString(r.nextLong()) : null).setStart(start)
          .setCalls(calls).setCostNanos(calls * (1_000_000L + r.nextInt(50_000_000))).setInputTokens(calls * (500L + r.nextInt(20_000)))
          .setOutputTokens(calls * (50L + r.nextInt(2_000))).setCacheReadTokens(r.nextBoolean() ? calls * (long) r.nextInt(30_000) : 0)
          .setCacheCreationTokens(r.nextInt(5) == 0 ? r.nextInt(8_000) : 0).setFirstAt(first)
          .setLastAt(first + r.nextInt(60_000)).setRoutes(rs).setModels(ms).build());
    }
    return out;
  }

  static List<TaskRun> runs(List<TaskPartial> partials) {
    List<TaskRun> out = new ArrayList<>(partials.size());
    for (int i = 0; i < partials.size(); i++) {
      TaskPartial p = partials.get(i);
      List<String> children = new ArrayList<>();
      for (int k = 0; k < i % 4; k++) {
        children.add(p.getTaskId() + ":sub-" + k);
      }
      out.add(TaskRun.newBuilder().setRun(p).setLifetimeCostNanos(p.getCostNanos() * (1 + i % 7)).setHopsFired(i % 11 == 0)
          .setCostFired(i % 13 == 0).setConversationFired(false).setChildren(children).build());
    }
    return out;
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  private static volatile Object blackhole;

  private static void blackhole(Object o) {
    blackhole = o;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** The rows as a markdown table. */
  public static String markdown(List<Row> rows) {
    StringBuilder b = new StringBuilder("| record | codec | encode ns | decode ns | bytes/record | allocated B/round trip |\n");
    b.append("|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append(String.format("| %s | %s | %.0f | %s | %s | %.0f |%n", r.record(), r.codec(), r.encodeNanos(),
          r.decodeNanos() == 0 ? "–" : String.format("%.0f", r.decodeNanos()),
          r.bytesPerRecord() == 0 ? "–" : String.format("%.1f", r.bytesPerRecord()), r.allocatedPerRoundTrip()));
    }
    return b.toString();
  }
}
