package io.spendstream.alerting.deliver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.alerting.AlertText;
import io.spendstream.pricing.Money;
import io.spendstream.schemas.AlertGroups;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.json.AvroJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/** The bodies each destination kind receives. All carry the alert fingerprint and the idempotency key. */
public final class Payloads {
  public static final String WEBHOOK_SPEC = "spendstream.alert.v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Payloads() {}

  /**
   * Generic webhook: {@code {"spec", "idempotency_key", "fingerprint", "group", "destination", "sent_at",
   * "suppressed_repeats", "cost_usd", "alert": <the Avro record as JSON>}}.
   */
  public static byte[] webhook(Notification n, Instant sentAt) {
    ObjectNode o = JSON.createObjectNode();
    o.put("spec", WEBHOOK_SPEC);
    o.put("idempotency_key", n.idempotencyKey());
    o.put("fingerprint", n.alert().getAlertId());
    o.put("group", AlertGroups.keyOf(n.alert()));
    o.put("destination", n.destination());
    o.put("sent_at", AvroJson.timestamp(sentAt));
    o.put("suppressed_repeats", n.suppressedRepeats());
    o.put("cost_usd", Money.exactUsd(n.alert().getCostNanos()));
    o.set("alert", AvroJson.toJson(n.alert()));
    return bytes(o);
  }

  /** Slack incoming webhook: a fallback {@code text} plus blocks with the key numbers. */
  public static byte[] slack(Notification n) {
    Alert a = n.alert();
    String icon = switch (a.getSeverity()) {
      case CRITICAL -> ":rotating_light:";
      case WARNING -> ":warning:";
      default -> ":information_source:";
    };
    String title = "%s %s%s %s · tenant %s".formatted(icon, n.resolved() ? "[RESOLVED] " : "", a.getSeverity(), a.getType(),
        a.getTenantId());
    ObjectNode o = JSON.createObjectNode();
    // every text Slack renders is escaped: tenants choose routes, models and ids, and "<!channel>" or
    // "<https://evil|https://bank>" in them must show as typed, not ping everyone or disguise a link
    o.put("text", escape(title + ": " + a.getMessage()));
    ArrayNode blocks = o.putArray("blocks");
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
        .put("text", "*" + escape(title) + "*\n" + escape(a.getMessage()));
    ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
    field(fields, "What", a.getDimension() + " " + code(a.getDimensionValue()));
    field(fields, "Value", AlertText.value(a));
    field(fields, "Cost", Money.usd(a.getCostNanos()));
    field(fields, "Detected", AlertText.time(a.getDetectedAt()));
    if (a.getRoute() != null) {
      field(fields, "Route", a.getRoute());
    }
    if (n.suppressedRepeats() > 0) {
      field(fields, "Held back", n.suppressedRepeats() + " repeat(s) since the last message");
    }
    blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
        .put("text", "fingerprint " + code(escape(a.getAlertId())) + " · spendstream");
    return bytes(o);
  }

  /**
   * PagerDuty Events API v2: {@code trigger} (or {@code resolve} for a resolved alert) with {@code dedup_key} =
   * the alert fingerprint, so PagerDuty folds redeliveries into one incident.
   */
  public static byte[] pagerDuty(Notification n, String routingKey) {
    Alert a = n.alert();
    ObjectNode o = JSON.createObjectNode();
    o.put("routing_key", routingKey);
    o.put("event_action", n.resolved() ? "resolve" : "trigger");
    o.put("dedup_key", a.getAlertId());
    if (!n.resolved()) {
      ObjectNode p = o.putObject("payload");
      String summary = "[spendstream] %s %s: %s".formatted(a.getType(), a.getTenantId(), a.getMessage());
      p.put("summary", summary.length() > 1024 ? summary.substring(0, 1021) + "..." : summary);
      p.put("source", "spendstream");
      p.put("severity", pagerDutySeverity(a.getSeverity()));
      p.put("timestamp", AvroJson.timestamp(a.getDetectedAt()));
      p.put("component", a.getRoute() != null ? a.getRoute() : a.getDimensionValue());
      p.put("group", a.getTenantId());
      p.put("class", a.getType().name().toLowerCase(Locale.ROOT));
      ObjectNode d = p.putObject("custom_details");
      d.put("value", AlertText.value(a));
      d.put("cost_usd", Money.exactUsd(a.getCostNanos()));
      d.put(a.getDimension(), a.getDimensionValue());
      d.put("suppressed_repeats", n.suppressedRepeats());
      a.getEvidence().forEach(d::put);
    }
    return bytes(o);
  }

  /** CRITICAL → critical, WARNING → warning, INFO → info (PagerDuty also knows error, unused). */
  public static String pagerDutySeverity(Severity s) {
    return switch (s) {
      case CRITICAL -> "critical";
      case WARNING -> "warning";
      case INFO -> "info";
    };
  }

  private static void field(ArrayNode fields, String name, String value) {
    fields.addObject().put("type", "mrkdwn").put("text", "*" + name + "*\n" + escape(value));
  }

  /** Inline code that tenant text cannot close early (a backtick in it would end the span and format the rest). */
  private static String code(String s) {
    return "`" + s.replace('`', '\'') + "`";
  }

  /** Slack's three control characters. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static byte[] bytes(ObjectNode o) {
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }
}
