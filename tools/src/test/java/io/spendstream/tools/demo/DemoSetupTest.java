package io.spendstream.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.config.ProcessorConfigLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoSetupTest {
  /** The processor refuses a config it cannot run (exit 2): the demo's must load, with buckets made of windows. */
  @Test
  void theDemoProcessorConfigLoadsWithShortWindowsAndBuckets() {
    ProcessorConfig c = ProcessorConfigLoader.parse(DemoSetup.PROCESSOR_CONFIG, "demo-processor.yaml");
    assertThat(c.windows().base()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.anomaly().bucket().toMillis() % c.windows().base().toMillis()).isZero();
    assertThat(c.windows().grace()).isLessThan(Duration.ofMinutes(1));
  }
}
