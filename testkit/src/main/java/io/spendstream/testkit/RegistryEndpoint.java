package io.spendstream.testkit;

/** A running Confluent-compatible schema registry, as handed to a test. {@code url} is the API root. */
public record RegistryEndpoint(String url) {}
