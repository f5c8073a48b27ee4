package io.spendstream.stream.errors;

import io.spendstream.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the processor's exception handlers put what they cannot process: the topic, the writer that
 * confirms each dead letter, and a counter. Handed to the handlers through the streams config (Kafka
 * Streams instantiates them by class name and passes the config to {@code configure}).
 */
public record DeadLetterRoute(String topic, DeadLetterWriter writer, LongAdder counter) {
  static final String CONFIG = "spendstream.dead.letter.route";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRoute.class);

  /** Installs the three handlers and this route into streams properties. */
  public Properties install(Properties p) {
    p.put(CONFIG, this);
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeserializationDeadLetterHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingDeadLetterHandler.class);
    p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionDeadLetterHandler.class);
    return p;
  }

  static DeadLetterRoute from(Map<String, ?> configs) {
    Object r = configs.get(CONFIG);
    if (!(r instanceof DeadLetterRoute route)) {
      throw new IllegalStateException(CONFIG + " is not set: install the route with DeadLetterRoute.install");
    }
    return route;
  }

  /** Sends the original bytes with reason, source and stage, confirmed; throws when not stored. */
  void send(byte[] key, byte[] value, Headers original, String reason, String source, String stage) {
    RecordHeaders headers = original == null ? new RecordHeaders() : new RecordHeaders(original.toArray());
    byte[] kept = DeadLetterHeaders.cut(value, headers);
    headers.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetterHeaders.SOURCE, source.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetterHeaders.STAGE, stage.getBytes(StandardCharsets.UTF_8));
    writer.write(new ProducerRecord<>(topic, null, key, kept, headers));
    counter.increment();
    LOG.warn("event=dead_letter stage={} source={} reason=\"{}\"", stage, source, reason);
  }
}
