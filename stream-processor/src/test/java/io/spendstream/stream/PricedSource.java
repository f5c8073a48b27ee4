package io.spendstream.stream;

import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.kafka.TopicSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;

/** The one source of llm.calls.priced.v1 in a topology; every detector branches off it. */
public final class PricedSource {
  public static final String NAME = "priced-source";

  private PricedSource() {}

  public static KStream<String, PricedCall> stream(StreamsBuilder b, ProcessorTopics topics, TopicSerdes serdes) {
    return b.stream(topics.priced(), Consumed.with(Serdes.String(), serdes.priced()).withName(NAME));
  }
}
