package io.spendstream.testkit;

/** A running Kafka broker, as handed to a test. */
public record KafkaEndpoint(String bootstrapServers) {}
