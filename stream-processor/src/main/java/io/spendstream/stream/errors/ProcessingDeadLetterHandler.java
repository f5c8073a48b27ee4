package io.spendstream.stream.errors;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that a processor cannot handle (a sum that would overflow, a bug hit by one odd record) goes to
 * the dead-letter topic as the bytes it was read as, with the failing processor and the reason, and
 * processing goes on; infrastructure faults fail the thread so the record is retried, never skipped.
 */
public final class ProcessingDeadLetterHandler extends RouteConfigured implements ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessingDeadLetterHandler.class);
  @Override
  public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (Faults.infrastructure(exception)) {
      LOG.error("event=processing_failed kind=infrastructure node={} source={}/{}/{} action=fail error=\"{}\"",
          context.processorNodeId(), context.topic(), context.partition(), context.offset(), Faults.describe(exception));
      return ProcessingHandlerResponse.FAIL;
    }
    try {
      route.send(context.sourceRawKey(), context.sourceRawValue(), context.headers(),
          "processing failed in " + context.processorNodeId() + ": " + Faults.describe(exception),
          context.topic() + "/" + context.partition() + "/" + context.offset(), "stream-processor:" + context.processorNodeId());
      return ProcessingHandlerResponse.CONTINUE;
    } catch (RuntimeException e) {
      LOG.error("event=dead_letter_failed node={} action=fail error=\"{}\"", context.processorNodeId(), Faults.describe(e));
      return ProcessingHandlerResponse.FAIL;
    }
  }
}
