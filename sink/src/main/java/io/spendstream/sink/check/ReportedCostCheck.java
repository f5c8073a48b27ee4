package io.spendstream.sink.check;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import io.spendstream.pricing.Money;
import io.spendstream.schemas.AlertGroups;
import io.spendstream.schemas.AlertIds;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REPORTED_COST_MISMATCH: a session whose cost as Claude Code counted it (its claude_code.cost.usage metric, table
 * reported_usage) differs from what we priced for its calls by at least {@code minNanos} and {@code minPercent} %.
 * Checked in ClickHouse, where both sides meet, once both have been quiet for {@code settle} (a metric point is
 * exported up to a minute after its calls, so a busy session is compared when it pauses); raised once per session
 * (the alert id is the tenant and session; sessions with one in the alerts table are skipped) to alerts.v1, where it
 * is delivered and stored like every alert. At most 50 sessions per tenant a run, oldest first: a tenant with
 * thousands of mismatching sessions delays only its own alerts.
 */
public final class ReportedCostCheck implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReportedCostCheck.class);

  /**
   * @param every how often to look
   * @param settle how long a session's metric points and calls must have been quiet before it is compared
   * @param lookback sessions with a metric point this recent are compared
   * @param minPercent smallest difference raised, in % of our cost
   * @param minNanos smallest difference raised, nano-USD
   */
  public record Settings(Duration every, Duration settle, Duration lookback, int minPercent, long minNanos) {
    /** Each minute, sessions quiet for 2 minutes within the last day, differences of 2 % and $0.01 or more. */
    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofDays(1), 2, 10_000_000L);
    }
  }

  static final String QUERY = """
      SELECT r.tenant_id AS tenant_id, r.session_id AS session_id, r.reported_nanos AS reported,
             c.our_nanos AS ours, c.our_calls AS calls, r.first_time AS first_time, r.last_time AS last_time,
             r.reported_input - c.our_input AS input_difference, r.reported_output - c.our_output AS output_difference,
             r.reported_cache_read - c.our_cache_read AS cache_read_difference,
             r.reported_cache_creation - c.our_cache_creation AS cache_creation_difference
      FROM reported_usage_by_session AS r
      LEFT JOIN (
          SELECT tenant_id, task_id AS session_id, count() AS our_calls, sum(toInt128(cost_nanos)) AS our_nanos,
                 max(ts) AS last_call, sum(input_tokens) AS our_input, sum(output_tokens) AS our_output,
                 sum(cache_read_input_tokens) AS our_cache_read, sum(cache_creation_input_tokens) AS our_cache_creation
          FROM llm_calls
          WHERE ts >= now64(3) - toIntervalMillisecond({lookback_ms:Int64}) - INTERVAL 1 DAY AND task_id != ''
          GROUP BY tenant_id, task_id
      ) AS c ON c.tenant_id = r.tenant_id AND c.session_id = r.session_id
      WHERE r.last_time >= now64(3) - toIntervalMillisecond({lookback_ms:Int64})
        AND r.last_time <= now64(3) - toIntervalMillisecond({settle_ms:Int64})
        AND c.last_call <= now64(3) - toIntervalMillisecond({settle_ms:Int64})
        AND abs(r.reported_nanos - c.our_nanos) >= {min_nanos:Int64}
        AND abs(r.reported_nanos - c.our_nanos) * 100 >= c.our_nanos * {min_percent:UInt32}
        AND (r.tenant_id, r.session_id) NOT IN (
            SELECT tenant_id, dimension_value FROM alerts WHERE type = 'REPORTED_COST_MISMATCH')
      ORDER BY tenant_id, r.last_time, session_id
      LIMIT 50 BY tenant_id""";

  private final Client clickhouse;
  private final String database;
  private final Settings settings;
  private final KafkaProducer<String, Alert> producer;
  private final String topic;
  private final Set<String> raised = new HashSet<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "reported-cost-check");
    t.setDaemon(true);
    return t;
  });

  public ReportedCostCheck(Client clickhouse, String database, String bootstrap, String registryUrl, String alertsTopic,
      Settings settings) {
    this.clickhouse = clickhouse;
    this.database = database;
    this.settings = settings;
    this.topic = alertsTopic;
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.CLIENT_ID_CONFIG, "spendstream-sink-reported-cost-check"), new StringSerializer(),
        new AvroSerializer<>(registry, false, true));
  }

  /** Looks every {@code settings.every()}, the first time after one period (the schema is migrated by then). */
  public ReportedCostCheck start() {
    long ms = settings.every().toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        runOnce();
      } catch (RuntimeException e) { // ClickHouse or Kafka away: the next run looks again, nothing was marked raised
        LOG.warn("component=sink event=reported_cost_check_failed error=\"{}\"", e.getMessage());
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One look: raises the sessions over the thresholds that have no alert yet; returns what it raised. */
  public List<Alert> runOnce() {
    List<GenericRecord> rows = clickhouse.queryAll(QUERY, Map.of("lookback_ms", settings.lookback().toMillis(),
        "settle_ms", settings.settle().toMillis(), "min_nanos", settings.minNanos(), "min_percent", settings.minPercent()),
        new QuerySettings().setDatabase(database));
    List<Alert> sent = new ArrayList<>();
    Set<String> found = new HashSet<>();
    for (GenericRecord row : rows) {
      Alert a = alert(row, settings);
      found.add(a.getAlertId());
      if (raised.contains(a.getAlertId())) { // raised by this process, not yet stored by the sink
        continue;
      }
      try {
        producer.send(new ProducerRecord<>(topic, AlertGroups.keyOf(a), a)).get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing the alert to " + topic, e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("cannot write the alert to " + topic + ": " + e.getMessage(), e);
      }
      raised.add(a.getAlertId());
      sent.add(a);
      LOG.info("component=sink event=reported_cost_mismatch tenant={} session={} reported_nanos={} our_nanos={} alert_id={}",
          a.getTenantId(), a.getDimensionValue(), a.getObservedValue(), a.getBaseline(), a.getAlertId());
    }
    // what the alerts table holds no longer comes back: remember only what is still in flight to it
    raised.retainAll(found);
    return sent;
  }

  static Alert alert(GenericRecord r, Settings settings) {
    String tenant = r.getString("tenant_id");
    String session = r.getString("session_id");
    long reported = Money.exactNanos(r.getBigInteger("reported"));
    long ours = Money.exactNanos(r.getBigInteger("ours"));
    long calls = r.getLong("calls");
    long difference = reported - ours;
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("reported_nanos", String.valueOf(reported));
    evidence.put("our_nanos", String.valueOf(ours));
    evidence.put("our_calls", String.valueOf(calls));
    boolean tokensEqual = true;
    for (String kind : List.of("input", "output", "cache_read", "cache_creation")) {
      long d = r.getLong(kind + "_difference");
      evidence.put(kind + "_tokens_difference", String.valueOf(d));
      tokensEqual &= d == 0;
    }
    String why = calls == 0 ? "none of its calls reached us (are its events exported? OTEL_LOGS_EXPORTER=otlp)"
        : tokensEqual ? "the tokens agree, so its price table is not ours (ours is what chargeback bills)"
            : "the tokens differ too: some of its api_request events did not reach us";
    return Alert.newBuilder()
        .setAlertId(AlertIds.of("REPORTED_COST_MISMATCH", tenant, session))
        .setType(AlertType.REPORTED_COST_MISMATCH)
        .setSeverity(Severity.WARNING)
        .setStatus(AlertStatus.FIRING)
        .setTenantId(tenant)
        .setDimension("task_id")
        .setDimensionValue(session)
        .setRoute("claude-code")
        .setDetectedAt(r.getZonedDateTime("last_time").toInstant())
        .setWindowStart(r.getZonedDateTime("first_time").toInstant())
        .setWindowEnd(r.getZonedDateTime("last_time").toInstant())
        .setObservedValue(reported)
        // the difference allowed: what observed_value may be off our cost before this alert
        .setThreshold(Math.max(settings.minNanos(), Math.abs(ours) / 100 * settings.minPercent()))
        .setBaseline(ours)
        .setObservedUnit("nano_usd")
        .setCostNanos(ours)
        .setMessage("Claude Code reported " + usd(reported) + " for session " + session + " of tenant " + tenant + "; we priced its "
            + calls + " calls at " + usd(ours) + " (" + (difference > 0 ? "+" : "") + usd(difference) + "): " + why)
        .setEvidence(evidence)
        .build();
  }

  private static String usd(long nanos) {
    return "$" + BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    producer.close(Duration.ofSeconds(5));
  }
}
