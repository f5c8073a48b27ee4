package io.spendstream.infra.stack;

import java.util.List;

/**
 * A pipeline service that {@code up} runs as its own JVM after the infrastructure is ready, from this
 * JVM's classpath: {@code java <mainClass> <args>}; ready when {@code GET http://127.0.0.1:<port><healthPath>}
 * answers 200.
 */
public record ServiceSpec(String name, String mainClass, List<String> args, int port, String healthPath, long heapBytes) {
  public ServiceSpec {
    args = List.copyOf(args);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + ": port must be 1..65535, was " + port);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** What its command line contains, to tell it from an unrelated process that reused its pid. */
  public String marker() {
    return mainClass + " " + String.join(" ", args);
  }
}
