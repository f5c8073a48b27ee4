package io.spendstream.tools.bench;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spendstream.schemas.CallKeys;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import io.spendstream.sink.Sink;
import io.spendstream.sink.SinkConfig;
import io.spendstream.sink.SinkTopics;
import io.spendstream.sink.rows.PricedCallRows;
import io.spendstream.sink.schema.Migrator;
import io.spendstream.sink.schema.SchemaConfig;
import io.spendstream.stream.ProcessorSettings;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.StreamProcessor;
import io.spendstream.stream.config.ProcessorConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The sink on real Kafka and the ClickHouse endpoint: (1) rows/s from llm.calls.priced.v1 into llm_calls
 * through the sink, vs a bare insert of the same rows with the same client and format in the same run;
 * (2) freshness: wall time from producing a call to llm.calls.v1 until it is visible in llm_calls, through
 * the stream processor and the sink.
 */
public final class SinkBenchmark {
  public record Result(int rows, double sinkRate, double bareRate, double bareRowBinaryRate, int fresh, double p50Millis, double p99Millis,
      double maxMillis) {
    public double ratio() {
      return sinkRate / bareRate;
    }
  }

  /** Calls sent first and not measured: the first transactions of a fresh processor and sink are slower. */
  private static final int WARM_UP = 40;

  private SinkBenchmark() {}

  public static Result run(String kafka, String registryUrl, String clickhouseUrl, Path work, int rows, int freshCalls,
      PrintWriter out) throws Exception {
    String suffix = ".bench-" + UUID.randomUUID().toString().substring(0, 8);
    ProcessorTopics pt = ProcessorTopics.withSuffix(suffix);
    SinkTopics st = SinkTopics.withSuffix(suffix);
    Duration keep = Duration.ofDays(3650);
    KafkaTopics.ensure(kafka, List.of(new TopicSpec(pt.calls(), 3, keep), new TopicSpec(pt.priced(), 3, keep),
        new TopicSpec(pt.windows(), 3, keep), new TopicSpec(pt.alerts(), 3, keep), new TopicSpec(pt.callsDlq(), 1, keep),
        new TopicSpec(st.reportedUsage(), 3, keep), new TopicSpec(st.deadLetters(), 1, keep)));
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    Pricer pricer = new Pricer(PriceCatalogLoader.defaults());
    out.printf("generating and producing %,d priced calls ...%n", rows);
    out.flush();
    List<LlmCall> calls = ProcessorBenchmark.generate(rows, Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    List<PricedCall> priced = calls.stream().map(pricer::price).toList();
    AvroSerializer<PricedCall> ser = new AvroSerializer<>(registry, false, true);
    try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
      for (PricedCall c : priced) {
        p.send(new ProducerRecord<>(pt.priced(), ser.serialize(pt.priced(), c)));
      }
      p.flush();
    }
    try (Client ch = new Client.Builder().addEndpoint(clickhouseUrl).setUsername("default").setPassword("").build()) {
      double bare = bare(ch, priced, "bench_bare" + suffix.replace(".bench-", "_"), out);
      double bareBinary = bareRowBinary(ch, priced, "bench_rb" + suffix.replace(".bench-", "_"), out);
      String db = "bench_sink" + suffix.replace(".bench-", "_");
      SinkConfig c = SinkConfig.builder(kafka, registryUrl, clickhouseUrl).schema(SchemaConfig.singleNode(db))
          .groupId("bench-sink" + suffix).topics(st(pt, st)).maxWait(Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
          .build();
      Migrator.migrate(ch, c.schema());
      long t0 = System.nanoTime();
      double sinkRate;
      try (Sink sink = Sink.start(c)) {
        awaitCount(ch, db, rows, Duration.ofMinutes(10));
        sinkRate = rows / ((System.nanoTime() - t0) / 1e9);
        out.printf("sink: %,d rows in %.1f s = %,.0f rows/s (%.0f%% of the bare insert)%n", rows, (System.nanoTime() - t0) / 1e9,
            sinkRate, 100 * sinkRate / bare);
        out.flush();
      }
      // freshness on topics and a database of its own, so polling for the calls does not scan the big table
      String fs = ".fresh-" + UUID.randomUUID().toString().substring(0, 8);
      ProcessorTopics fpt = ProcessorTopics.withSuffix(fs);
      KafkaTopics.ensure(kafka, List.of(new TopicSpec(fpt.calls(), 3, keep), new TopicSpec(fpt.priced(), 3, keep),
          new TopicSpec(fpt.windows(), 3, keep), new TopicSpec(fpt.alerts(), 3, keep), new TopicSpec(fpt.callsDlq(), 1, keep)));
      String fdb = "bench_fresh" + fs.replace(".fresh-", "_");
      SinkConfig fc = SinkConfig.builder(kafka, registryUrl, clickhouseUrl).schema(SchemaConfig.singleNode(fdb))
          .groupId("bench-fresh" + fs).topics(st(fpt, st)).maxWait(Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
          .build();
      try (Sink sink = Sink.start(fc)) {
        List<Double> fresh = new ArrayList<>(freshness(kafka, registry, fpt, ch, fdb, work, registryUrl, calls, freshCalls, out));
        Collections.sort(fresh);
        return new Result(rows, sinkRate, bare, bareBinary, fresh.size(), q(fresh, 0.5), q(fresh, 0.99), q(fresh, 1.0));
      }
    }
  }

  private static SinkTopics st(ProcessorTopics pt, SinkTopics st) {
    return new SinkTopics(pt.priced(), pt.windows(), pt.alerts(), st.reportedUsage(), st.deadLetters());
  }

  private static double q(List<Double> sorted, double q) {
    return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.max(0, Math.ceil(q * sorted.size()) - 1));
  }

  private static KafkaProducer<byte[], byte[]> producer(String kafka) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG,
        "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The same rows, the same client and format (JSONEachRow), batches of 10,000, straight into llm_calls. */
  private static double bare(Client ch, List<PricedCall> priced, String db, PrintWriter out) throws Exception {
    Migrator.migrate(ch, SchemaConfig.singleNode(db));
    PricedCallRows rows = new PricedCallRows();
    JsonFactory json = new JsonFactory();
    long t0 = System.nanoTime();
    for (int from = 0; from < priced.size(); from += 10_000) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(8 << 20);
      try (JsonGenerator j = json.createGenerator(buf)) {
        for (int i = from; i < Math.min(priced.size(), from + 10_000); i++) {
          j.writeStartObject();
          rows.write(j, priced.get(i));
          j.writeNumberField("kafka_partition", 0);
          j.writeNumberField("kafka_offset", i);
          j.writeNumberField("kafka_batch_end", from);
          j.writeEndObject();
          j.writeRaw('\n');
        }
      }
      ch.insert(db + ".llm_calls", new ByteArrayInputStream(buf.toByteArray()), ClickHouseFormat.JSONEachRow,
          new InsertSettings().setDeduplicationToken("bare-" + from)).get(120, TimeUnit.SECONDS).close();
    }
    double rate = priced.size() / ((System.nanoTime() - t0) / 1e9);
    out.printf("bare insert (same client, JSONEachRow, batches of 10,000): %,d rows in %.1f s = %,.0f rows/s%n", priced.size(),
        (System.nanoTime() - t0) / 1e9, rate);
    out.flush();
    return rate;
  }

  /** The same rows in ClickHouse's RowBinaryWithDefaults through the client's own writer: is binary faster? */
  private static double bareRowBinary(Client ch, List<PricedCall> priced, String db, PrintWriter out) throws Exception {
    Migrator.migrate(ch, SchemaConfig.singleNode(db));
    com.clickhouse.client.api.metadata.TableSchema schema = ch.getTableSchema("llm_calls", db);
    long t0 = System.nanoTime();
    for (int from = 0; from < priced.size(); from += 10_000) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(8 << 20);
      var w = new com.clickhouse.client.api.data_formats.RowBinaryFormatWriter(buf, schema, ClickHouseFormat.RowBinaryWithDefaults);
      for (int i = from; i < Math.min(priced.size(), from + 10_000); i++) {
        PricedCall p = priced.get(i);
        LlmCall c = p.getCall();
        w.setValue("event_id", c.getEventId());
        w.setValue("ts", c.getTimestamp().atZone(java.time.ZoneOffset.UTC));
        w.setValue("tenant_id", c.getTenantId());
        w.setValue("provider", c.getProvider());
        w.setValue("model", c.getModel());
        w.setValue("priced_model", p.getPricedModel() == null ? "" : p.getPricedModel());
        w.setValue("route", c.getRoute());
        w.setValue("feature", c.getFeature() == null ? "" : c.getFeature());
        w.setValue("user_id", c.getUserId() == null ? "" : c.getUserId());
        w.setValue("task_id", c.getTaskId() == null ? "" : c.getTaskId());
        w.setValue("parent_task_id", "");
        w.setValue("prompt_hash", c.getPromptHash() == null ? "" : c.getPromptHash());
        w.setValue("input_tokens", c.getInputTokens());
        w.setValue("output_tokens", c.getOutputTokens());
        w.setValue("cache_read_input_tokens", c.getCacheReadInputTokens());
        w.setValue("cache_creation_input_tokens", c.getCacheCreationInputTokens());
        w.setValue("cache_creation_5m_input_tokens", c.getCacheCreation5mInputTokens());
        w.setValue("cache_creation_1h_input_tokens", c.getCacheCreation1hInputTokens());
        w.setValue("service_tier", "standard");
        w.setValue("latency_ms", c.getLatencyMs());
        w.setValue("ttft_ms", c.getTtftMs());
        w.setValue("stop_reason", c.getStopReason() == null ? "" : c.getStopReason());
        w.setValue("status_code", c.getStatusCode());
        w.setValue("error_type", c.getErrorType() == null ? "" : c.getErrorType());
        w.setValue("request_id", "");
        w.setValue("received_at", null);
        w.setValue("attributes", c.getAttributes());
        w.setValue("reported_cost_nanos", c.getReportedCostNanos());
        w.setValue("cost_nanos", p.getCostNanos());
        w.setValue("input_cost_nanos", p.getInputCostNanos());
        w.setValue("output_cost_nanos", p.getOutputCostNanos());
        w.setValue("cache_read_cost_nanos", p.getCacheReadCostNanos());
        w.setValue("cache_write_cost_nanos", p.getCacheWriteCostNanos());
        w.setValue("price_status", p.getPriceStatus().name());
        w.setValue("price_version", p.getPriceVersion() == null ? "" : p.getPriceVersion());
        w.setValue("kafka_partition", 0);
        w.setValue("kafka_offset", (long) i);
        w.setValue("kafka_batch_end", (long) from);
        w.commitRow();
      }
      ch.insert(db + ".llm_calls", new ByteArrayInputStream(buf.toByteArray()), ClickHouseFormat.RowBinaryWithDefaults,
          new InsertSettings().setDeduplicationToken("rb-" + from)).get(120, TimeUnit.SECONDS).close();
    }
    long n = ch.queryAll("SELECT count() FROM " + db + ".llm_calls").getFirst().getLong(1);
    if (n != priced.size()) {
      throw new IllegalStateException("RowBinary insert landed " + n + " of " + priced.size() + " rows");
    }
    double rate = priced.size() / ((System.nanoTime() - t0) / 1e9);
    out.printf("bare insert (same client, RowBinaryWithDefaults, batches of 10,000): %,d rows in %.1f s = %,.0f rows/s%n",
        priced.size(), (System.nanoTime() - t0) / 1e9, rate);
    out.flush();
    return rate;
  }

  private static void awaitCount(Client ch, String db, long n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ch.queryAll("SELECT count() FROM " + db + ".llm_calls").getFirst().getLong(1) >= n) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the sink did not land " + n + " rows within " + timeout);
  }

  /** Calls produced one by one to llm.calls.v1 (through the stream processor and the sink), polled for in ClickHouse. */
  private static List<Double> freshness(String kafka, SchemaRegistryClient registry, ProcessorTopics pt, Client ch, String db,
      Path work, String registryUrl, List<LlmCall> pool, int n, PrintWriter out) throws Exception {
    ProcessorSettings s = new ProcessorSettings(kafka, registryUrl, "bench-fresh" + pt.calls().replace('.', '-'),
        work.resolve("fresh-state"), 1, "exactly_once_v2", Duration.ofMillis(100), -1, "127.0.0.1", 0, pt,
        ProcessorConfig.defaults(), PriceCatalogLoader.defaults());
    Map<String, Long> sent = new HashMap<>();
    List<Double> millis = new ArrayList<>();
    AvroSerializer<LlmCall> ser = new AvroSerializer<>(registry, false, true);
    try (StreamProcessor processor = StreamProcessor.start(s); KafkaProducer<byte[], byte[]> p = producer(kafka)) {
      // the processor first prices the backlog on the priced topic's input; wait until it runs
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (processor.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      out.printf("freshness: %d calls after %d warm-up calls, one every 50 ms, produced -> visible in llm_calls ...%n", n, WARM_UP);
      out.flush();
      for (int i = -WARM_UP; i < n; i++) {
        LlmCall c = LlmCall.newBuilder(pool.get(i + WARM_UP)).setEventId((i < 0 ? "warm-" : "fresh-") + i)
            .setTimestamp(Instant.now()).build();
        byte[] v = ser.serialize(pt.calls(), c);
        if (i >= 0) {
          sent.put(c.getEventId(), System.nanoTime());
        }
        p.send(new ProducerRecord<>(pt.calls(), CallKeys.bytes(c), v));
        p.flush();
        collect(ch, db, sent, millis);
        Thread.sleep(50);
      }
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!sent.isEmpty() && System.nanoTime() < end) {
        collect(ch, db, sent, millis);
        Thread.sleep(50);
      }
    }
    if (!sent.isEmpty()) {
      out.printf("  %d calls were not visible within 30 s%n", sent.size());
    }
    return millis;
  }

  private static void collect(Client ch, String db, Map<String, Long> sent, List<Double> millis) {
    if (sent.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (var r : ch.queryAll("SELECT event_id FROM " + db + ".llm_calls WHERE event_id LIKE 'fresh-%'")) {
      Long t = sent.remove(r.getString(1));
      if (t != null) {
        millis.add((now - t) / 1e6);
      }
    }
  }
}
