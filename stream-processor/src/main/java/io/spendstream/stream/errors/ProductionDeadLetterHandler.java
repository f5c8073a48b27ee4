package io.spendstream.stream.errors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output record the broker refuses for what it is (too large) or that cannot be serialized is
 * dead-lettered (cut to a size the broker takes) and processing goes on; anything else (the broker
 * unavailable, fencing) fails as before, so nothing is skipped because of an outage.
 */
public final class ProductionDeadLetterHandler extends RouteConfigured implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProductionDeadLetterHandler.class);
  @Override
  public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
      Exception exception) {
    if (!(exception instanceof RecordTooLargeException)) {
      return ProductionExceptionHandlerResponse.FAIL;
    }
    return deadLetter(context, record.topic(), record.key(), record.value(), record, exception);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context, ProducerRecord record,
      Exception exception, SerializationExceptionOrigin origin) {
    if (Faults.infrastructure(exception)) {
      return ProductionExceptionHandlerResponse.FAIL;
    }
    return deadLetter(context, record.topic(), context.sourceRawKey(), context.sourceRawValue(), record, exception);
  }

  private ProductionExceptionHandlerResponse deadLetter(ErrorHandlerContext context, String target, byte[] key, byte[] value,
      ProducerRecord<?, ?> record, Exception exception) {
    try {
      route.send(key, value, record.headers(), "could not write to " + target + ": " + Faults.describe(exception),
          context.topic() + "/" + context.partition() + "/" + context.offset(), "stream-processor:produce");
      return ProductionExceptionHandlerResponse.CONTINUE;
    } catch (RuntimeException e) {
      LOG.error("event=dead_letter_failed stage=produce target={} action=fail error=\"{}\"", target, Faults.describe(e));
      return ProductionExceptionHandlerResponse.FAIL;
    }
  }
}
