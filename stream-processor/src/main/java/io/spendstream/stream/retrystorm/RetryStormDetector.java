package io.spendstream.stream.retrystorm;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.AlertIds;
import io.spendstream.pricing.Money;
import io.spendstream.stream.config.RetryStormConfig;
import io.spendstream.stream.state.avro.StormCall;
import io.spendstream.stream.config.ProcessorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Pure retry-storm logic for one tenant x prompt hash. It keeps the threshold + 1 most recent calls by
 * event time; the storm is there when they all fall within the window (then more than threshold calls
 * happened within it), and the alert is raised by the call that makes it so, unless the pair alerted less
 * than the cooldown ago. The state is bounded by the threshold however long a storm goes on.
 */
public final class RetryStormDetector {
  private RetryStormDetector() {}

  /** The new state, and the alert if this call crossed the threshold. */
  public record Result(StormState state, Alert alert) {}

  /**
   * The state bucket: the longest window or cooldown of any tenant plus the windows' grace. A pair's state is found
   * (in the current bucket or the one before) for at least one bucket of event time after its last call, so no state
   * is gone while a call up to the grace late could still make a storm with it or be silenced by its cooldown.
   */
  public static Duration stateBucket(ProcessorConfig config, Duration grace) {
    return Stream.concat(Stream.of(config.retryStorm()),
            config.tenants().values().stream().map(ProcessorConfig.TenantDetectors::retryStorm))
        .flatMap(c -> Stream.of(c.window(), c.cooldown())).max(Duration::compareTo).orElseThrow().plus(grace);
  }

  public static StormCall callOf(PricedCall p) {
    var c = p.getCall();
    return StormCall.newBuilder().setTenantId(c.getTenantId()).setPromptHash(c.getPromptHash()).setRoute(c.getRoute())
        .setModel(c.getModel()).setTimestamp(c.getTimestamp().toEpochMilli()).setOutputTokens(c.getOutputTokens())
        .setErrorType(c.getErrorType()).setStatusCode(c.getStatusCode()).setCostNanos(p.getCostNanos()).build();
  }

  public static Result onCall(StormState previous, StormCall call, RetryStormConfig config) {
    List<RecentCall> recent = previous == null ? new ArrayList<>() : new ArrayList<>(previous.recent());
    Long lastAlertAt = previous == null ? null : previous.lastAlertAt();
    int at = recent.size();
    while (at > 0 && recent.get(at - 1).timestamp() > call.getTimestamp()) {
      at--; // late arrival: keep event-time order
    }
    recent.add(at, RecentCall.of(call));
    int keep = config.thresholdCalls() + 1;
    while (recent.size() > keep) {
      recent.removeFirst();
    }
    long newest = recent.getLast().timestamp();
    Alert alert = null;
    boolean storm = recent.size() == keep && newest - recent.getFirst().timestamp() < config.window().toMillis();
    boolean cooling = lastAlertAt != null && newest - lastAlertAt < config.cooldown().toMillis();
    if (storm && !cooling) {
      alert = alert(recent, call, config);
      lastAlertAt = newest;
    }
    return new Result(new StormState(recent, lastAlertAt), alert);
  }

  static Alert alert(List<RecentCall> calls, StormCall crossing, RetryStormConfig config) {
    long first = calls.getFirst().timestamp();
    long last = calls.getLast().timestamp();
    long zeroOutput = calls.stream().filter(c -> c.outputTokens() == 0).count();
    long failed = calls.stream().filter(RecentCall::failed).count();
    long burned = 0;
    TreeSet<String> errors = new TreeSet<>();
    for (RecentCall c : calls) {
      burned = Math.addExact(burned, c.costNanos());
      if (c.errorType() != null) {
        errors.add(c.errorType());
      } else if (c.statusCode() >= 400) {
        errors.add("http_" + c.statusCode());
      }
    }
    int n = calls.size();
    long zeroPct = zeroOutput * 100 / n;
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("calls", String.valueOf(n));
    evidence.put("first_call_at", Instant.ofEpochMilli(first).toString());
    evidence.put("last_call_at", Instant.ofEpochMilli(last).toString());
    evidence.put("span_ms", String.valueOf(last - first));
    evidence.put("zero_output_calls", String.valueOf(zeroOutput));
    evidence.put("zero_output_share_pct", String.valueOf(zeroPct));
    evidence.put("failed_calls", String.valueOf(failed));
    evidence.put("error_types", String.join(",", errors));
    evidence.put("cost_burned_nanos", String.valueOf(burned));
    evidence.put("window_ms", String.valueOf(config.window().toMillis()));
    evidence.put("cooldown_ms", String.valueOf(config.cooldown().toMillis()));
    String message = String.format("Retry storm: %d calls with prompt %s within %.1f s on %s (%s); %d%% without output%s; %s burned",
        n, crossing.getPromptHash(), (last - first) / 1000.0, crossing.getRoute(), crossing.getModel(), zeroPct,
        errors.isEmpty() ? "" : ", errors " + String.join(", ", errors), Money.usd(burned));
    return Alert.newBuilder()
        .setAlertId(AlertIds.of("RETRY_STORM", crossing.getTenantId(), crossing.getPromptHash(), String.valueOf(last)))
        .setType(AlertType.RETRY_STORM)
        .setSeverity(failed == n || zeroOutput == n ? Severity.CRITICAL : Severity.WARNING)
        .setStatus(AlertStatus.FIRING)
        .setTenantId(crossing.getTenantId())
        .setDimension("prompt_hash")
        .setDimensionValue(crossing.getPromptHash())
        .setRoute(crossing.getRoute())
        .setModel(crossing.getModel())
        .setDetectedAt(Instant.ofEpochMilli(last))
        .setWindowStart(Instant.ofEpochMilli(first))
        .setWindowEnd(Instant.ofEpochMilli(last))
        .setObservedValue(n)
        .setThreshold(config.thresholdCalls())
        .setBaseline(null)
        .setObservedUnit("calls")
        .setZScore(null)
        .setCostNanos(burned)
        .setMessage(message)
        .setEvidence(evidence)
        .build();
  }
}
