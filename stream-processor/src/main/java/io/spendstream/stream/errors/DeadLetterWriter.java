package io.spendstream.stream.errors;

import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes one dead letter and returns only once it is stored; throws when it could not be. */
@FunctionalInterface
public interface DeadLetterWriter {
  void write(ProducerRecord<byte[], byte[]> deadLetter);
}
