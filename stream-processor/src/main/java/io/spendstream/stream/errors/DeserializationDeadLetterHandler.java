package io.spendstream.stream.errors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unreadable bytes on any topic the processor reads (the priced topic, repartitions) are dead-lettered
 * with their source and processing goes on; an unreachable registry fails the thread instead (retried).
 */
public final class DeserializationDeadLetterHandler extends RouteConfigured implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeserializationDeadLetterHandler.class);
  @Override
  public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
      Exception exception) {
    if (Faults.infrastructure(exception)) {
      LOG.error("event=deserialization_failed kind=infrastructure source={}/{}/{} action=fail error=\"{}\"",
          record.topic(), record.partition(), record.offset(), Faults.describe(exception));
      return DeserializationHandlerResponse.FAIL;
    }
    try {
      route.send(record.key(), record.value(), record.headers(), "unreadable record: " + Faults.describe(exception),
          record.topic() + "/" + record.partition() + "/" + record.offset(), "stream-processor:deserialize");
      return DeserializationHandlerResponse.CONTINUE;
    } catch (RuntimeException e) {
      LOG.error("event=dead_letter_failed stage=deserialize action=fail error=\"{}\"", Faults.describe(e));
      return DeserializationHandlerResponse.FAIL;
    }
  }
}
