package io.spendstream.stream;

import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.errors.DeadLetterRoute;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.TopicSerdes;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver over one of our topologies with the plain serdes and all topics at hand. */
public final class Driver implements AutoCloseable {
  public static final ProcessorTopics TOPICS = ProcessorTopics.defaults();
  public static final TopicSerdes SERDES = TopicSerdes.plain();
  public final TopologyTestDriver driver;
  public final ProcessorMetrics metrics;
  /** Dead letters written by the exception handlers (the topology's own go to {@link #deadLetters()}). */
  public final List<ProducerRecord<byte[], byte[]>> handledDeadLetters = new CopyOnWriteArrayList<>();
  private final TestInputTopic<byte[], byte[]> calls;
  private final TestInputTopic<String, PricedCall> pricedIn;
  private final TestOutputTopic<String, PricedCall> priced;
  private final TestOutputTopic<String, CostWindow> windows;
  private final TestOutputTopic<String, Alert> alerts;
  private final TestOutputTopic<byte[], byte[]> dlq;
  private final InternalAvroSerde<LlmCall> callSerde = InternalAvroSerde.of(LlmCall.class);

  public Driver(Topology topology, ProcessorMetrics metrics) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "spendstream-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    new DeadLetterRoute(TOPICS.callsDlq(), handledDeadLetters::add, metrics.deadLettered).install(p);
    driver = new TopologyTestDriver(topology, p);
    this.metrics = metrics;
    calls = driver.createInputTopic(TOPICS.calls(), new ByteArraySerializer(), new ByteArraySerializer());
    pricedIn = driver.createInputTopic(TOPICS.priced(), new StringSerializer(), SERDES.priced().serializer());
    priced = driver.createOutputTopic(TOPICS.priced(), new StringDeserializer(), SERDES.priced().deserializer());
    windows = driver.createOutputTopic(TOPICS.windows(), new StringDeserializer(), SERDES.windows().deserializer());
    alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(), SERDES.alerts().deserializer());
    dlq = driver.createOutputTopic(TOPICS.callsDlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  public void send(LlmCall c) {
    calls.pipeInput(CallKeys.bytes(c), callSerde.encode(c), c.getTimestamp());
  }

  /** Bytes straight onto the priced topic, as a broken or hostile producer would write them. */
  public void sendPricedRaw(byte[] value, long timestamp) {
    driver.createInputTopic(TOPICS.priced(), new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput(new TestRecord<>(new byte[0], value, java.time.Instant.ofEpochMilli(timestamp)));
  }

  public void sendRaw(byte[] value, long timestamp) {
    calls.pipeInput(new TestRecord<>(new byte[0], value, java.time.Instant.ofEpochMilli(timestamp)));
  }

  /** For topologies that start at the priced topic. */
  public void sendPriced(PricedCall p) {
    pricedIn.pipeInput(DimensionKeys.tenantModelRoute(p.getCall()), p, p.getCall().getTimestamp());
  }

  public List<PricedCall> priced() {
    return priced.readValuesToList();
  }

  public List<CostWindow> windows() {
    return windows.readValuesToList();
  }

  public List<Alert> alerts() {
    return alerts.readValuesToList();
  }

  public List<TestRecord<byte[], byte[]>> deadLetters() {
    return dlq.readRecordsToList();
  }

  @Override
  public void close() {
    driver.close();
  }
}
