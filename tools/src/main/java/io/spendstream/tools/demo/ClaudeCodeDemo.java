package io.spendstream.tools.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A team's Claude Code sessions for {@code up --demo}, sent the way Claude Code sends them: OpenTelemetry log events
 * (user_prompt, api_request, api_error, tool_result with Claude Code's attribute names) over OTLP/gRPC by the SDK's
 * exporter, with the API key in the call's metadata, and its cost and token metrics (claude_code.cost.usage,
 * claude_code.token.usage, delta sums every 5 s) the same way. Claude Code's own cost is computed with the prices it
 * shipped with: Haiku at an older list price, so the reported-against-priced queries (sink/sql/15 and 16) and the
 * REPORTED_COST_MISMATCH check show the sessions that used Haiku.
 */
public final class ClaudeCodeDemo implements Runnable {
  public static final String TENANT = "devtools";
  private static final List<String> DEVELOPERS = List.of("dev-ana", "dev-bo", "dev-chen");
  /** Claude Code's price table, USD per million tokens: input, output, cache read, cache write. */
  private static final Map<String, BigDecimal[]> ITS_PRICES = Map.of(
      "claude-sonnet-4-6", usd("3.00", "15.00", "0.30", "3.75"),
      "claude-haiku-4-5", usd("0.80", "4.00", "0.08", "1.00"));

  private final SdkLoggerProvider provider;
  private final Logger logger;
  private final SdkMeterProvider meters;
  private final DoubleCounter costCounter;
  private final LongCounter tokenCounter;
  private final SplittableRandom random;
  private final Duration every;
  private volatile boolean stopped;

  public ClaudeCodeDemo(String grpcEndpoint, String apiKey, Duration every, long seed) {
    Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "claude-code",
        AttributeKey.stringKey("service.version"), "2.1.3"));
    this.provider = SdkLoggerProvider.builder()
        .setResource(resource)
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(OtlpGrpcLogRecordExporter.builder().setEndpoint(grpcEndpoint)
            .addHeader("Authorization", "Bearer " + apiKey).build()).setScheduleDelay(Duration.ofSeconds(1)).build())
        .build();
    this.logger = provider.get("com.anthropic.claude_code.events");
    this.meters = SdkMeterProvider.builder().setResource(resource)
        .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder().setEndpoint(grpcEndpoint)
                .addHeader("Authorization", "Bearer " + apiKey)
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred()).build())
            .setInterval(Duration.ofSeconds(5)).build())
        .build();
    Meter meter = meters.get("com.anthropic.claude_code");
    this.costCounter = meter.counterBuilder("claude_code.cost.usage").setUnit("USD").ofDoubles().build();
    this.tokenCounter = meter.counterBuilder("claude_code.token.usage").setUnit("tokens").build();
    this.random = new SplittableRandom(seed);
    this.every = every;
  }

  private static BigDecimal[] usd(String... perMillion) {
    BigDecimal[] out = new BigDecimal[perMillion.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = new BigDecimal(perMillion[i]);
    }
    return out;
  }

  @Override
  public void run() {
    try {
      while (!stopped) {
        session();
      }
    } finally {
      provider.forceFlush().join(10, TimeUnit.SECONDS);
      provider.close();
      meters.close(); // exports what is left
    }
  }

  public void stop() {
    stopped = true;
  }

  /** One session: a few prompts, each answered by one to four API requests with tool use between them. */
  private void session() {
    String session = UUID.randomUUID().toString();
    String developer = DEVELOPERS.get(random.nextInt(DEVELOPERS.size()));
    long sequence = 0;
    long context = 4_000 + random.nextInt(8_000);
    for (int prompt = 0; prompt < 2 + random.nextInt(4) && !stopped; prompt++) {
      String promptId = UUID.randomUUID().toString();
      emit("user_prompt", session, developer, promptId, ++sequence, Attributes.of(AttributeKey.longKey("prompt_length"),
          20L + random.nextInt(400)));
      for (int step = 0; step < 1 + random.nextInt(4) && !stopped; step++) {
        String model = random.nextInt(4) == 0 ? "claude-haiku-4-5" : "claude-sonnet-4-6";
        if (random.nextInt(25) == 0) { // overloaded or rate limited, then retried
          boolean limited = random.nextBoolean();
          emit("api_error", session, developer, promptId, ++sequence, Attributes.builder().put("model", model)
              .put("error", limited ? "Rate limited" : "Overloaded").put("status_code", limited ? "429" : "529")
              .put("duration_ms", 80L + random.nextInt(300)).put("attempt", 1L).build());
        }
        long input = 50 + random.nextInt(1_500);
        long cacheWrite = step == 0 ? 1_000 + random.nextInt(4_000) : random.nextInt(600);
        long output = 80 + random.nextInt(1_200);
        double cost = itsCost(model, input, output, context, cacheWrite);
        emit("api_request", session, developer, promptId, ++sequence, Attributes.builder().put("model", model)
            .put("input_tokens", input).put("output_tokens", output).put("cache_read_tokens", context)
            .put("cache_creation_tokens", cacheWrite).put("duration_ms", 800L + random.nextInt(9_000))
            .put("cost_usd", cost).put("speed", "normal").build());
        count(session, developer, model, cost, input, output, context, cacheWrite);
        context += input + output + cacheWrite;
        emit("tool_result", session, developer, promptId, ++sequence, Attributes.builder()
            .put("tool_name", List.of("Bash", "Read", "Edit", "Grep").get(random.nextInt(4))).put("success", "true")
            .put("duration_ms", 20L + random.nextInt(2_000)).build());
        pause();
      }
    }
  }

  private double itsCost(String model, long input, long output, long cacheRead, long cacheWrite) {
    BigDecimal[] p = ITS_PRICES.get(model);
    BigDecimal micro = p[0].multiply(BigDecimal.valueOf(input)).add(p[1].multiply(BigDecimal.valueOf(output)))
        .add(p[2].multiply(BigDecimal.valueOf(cacheRead))).add(p[3].multiply(BigDecimal.valueOf(cacheWrite)));
    return micro.divide(BigDecimal.valueOf(1_000_000), 9, RoundingMode.HALF_UP).doubleValue(); // Claude Code sends a double
  }

  /** The metric side of one API request, with the attributes Claude Code puts on its metrics. */
  private void count(String session, String developer, String model, double cost, long input, long output, long cacheRead,
      long cacheWrite) {
    Attributes a = Attributes.builder().put("session.id", session).put("user.account_uuid", developer)
        .put("organization.id", "demo-org").put("terminal.type", "vscode").put("model", model).build();
    costCounter.add(cost, a);
    tokenCounter.add(input, a.toBuilder().put("type", "input").build());
    tokenCounter.add(output, a.toBuilder().put("type", "output").build());
    tokenCounter.add(cacheRead, a.toBuilder().put("type", "cacheRead").build());
    tokenCounter.add(cacheWrite, a.toBuilder().put("type", "cacheCreation").build());
  }

  private void emit(String event, String session, String developer, String promptId, long sequence, Attributes own) {
    Instant now = Instant.now();
    logger.logRecordBuilder().setTimestamp(now).setBody("claude_code." + event).setAllAttributes(own)
        .setAttribute("event.name", event).setAttribute("event.timestamp", now.toString())
        .setAttribute("event.sequence", sequence).setAttribute("session.id", session)
        .setAttribute("user.account_uuid", developer).setAttribute("organization.id", "demo-org")
        .setAttribute("terminal.type", "vscode").setAttribute("prompt.id", promptId).emit();
  }

  private void pause() {
    try {
      Thread.sleep(every.toMillis()); // pacing of the demo's developers, not a wait for a result
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }
}
