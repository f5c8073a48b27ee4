package io.spendstream.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A logback configuration for child JVMs: their stdout goes to their log file, quiet but useful. */
public final class ChildLogging {
  private ChildLogging() {}

  /** Writes (once) and returns the JVM argument that points a child at the configuration. */
  public static String jvmArg(Path stateDir) {
    Path file = stateDir.resolve("logback-child.xml");
    try {
      Files.createDirectories(stateDir);
      Files.writeString(file, """
          <configuration>
            <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
              <encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{36} %msg%n</pattern></encoder>
            </appender>
            <logger name="io.spendstream" level="INFO"/>
            <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
            <logger name="kafka.server.BrokerServer" level="INFO"/>
            <root level="WARN"><appender-ref ref="OUT"/></root>
          </configuration>
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "-Dlogback.configurationFile=" + file.toAbsolutePath();
  }

  /**
   * The classpath of this JVM, which holds every component's jars (also through a manifest-only jar),
   * made absolute: children run in their own working directories.
   */
  public static String classpath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !e.isBlank())
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }
}
