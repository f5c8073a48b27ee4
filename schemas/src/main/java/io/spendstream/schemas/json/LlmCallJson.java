package io.spendstream.schemas.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.schemas.CallLimits;
import io.spendstream.schemas.PromptHash;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.ServiceTier;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The documented JSON form of an {@link LlmCall} (README, "Event JSON form"): snake_case fields,
 * {@code timestamp} as RFC 3339 or epoch ms, token counts flat or inside Anthropic's {@code usage}
 * object exactly as the Messages API returns it, and an optional raw {@code prompt} that is hashed into
 * {@code prompt_hash} and dropped here, before anything else sees it.
 */
public final class LlmCallJson {
  static {
    io.spendstream.schemas.AvroTrust.ensure();
  }

  private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final int MAX_ATTRIBUTES = 32;
  private static final long MAX_LATENCY_MS = CallLimits.MAX_LATENCY_MS;
  public static final String DEFAULT_PROVIDER = "anthropic";

  /** Top-level fields the form accepts; anything else is rejected so that typos do not pass silently. */
  static final Set<String> FIELDS = Set.of("event_id", "timestamp", "tenant_id", "provider", "model", "route",
      "feature", "user_id", "task_id", "parent_task_id", "prompt_hash", "prompt", "usage", "input_tokens",
      "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "cache_creation",
      "cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens", "service_tier", "latency_ms",
      "ttft_ms", "stop_reason", "status_code", "error_type", "request_id", "received_at", "attributes",
      "reported_cost_nanos");

  private LlmCallJson() {}

  /** Parses one event from JSON text; malformed JSON is reported as an error on {@code $}. */
  public static ParseResult parse(String json, ParseOptions options) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return new ParseResult.Invalid(List.of(new FieldError("$", "malformed JSON: " + e.getOriginalMessage())));
    }
    return parse(node, options);
  }

  public static ParseResult parse(JsonNode node, ParseOptions options) {
    if (node == null || !node.isObject()) {
      return new ParseResult.Invalid(List.of(new FieldError("$", "an event must be a JSON object, got "
          + (node == null ? "nothing" : FieldReader.kind(node)))));
    }
    FieldReader r = new FieldReader();
    unknownFields(node, r);
    JsonNode usage = node.get("usage");
    if (FieldReader.present(usage) && !usage.isObject()) {
      r.error("usage", "must be an object like the Anthropic API's usage, got " + FieldReader.kind(usage));
      usage = null;
    }

    String eventId = r.string(node, "event_id", "event_id", true, 128, IdRules.EVENT_ID,
        "1..128 printable ASCII characters without spaces");
    Instant timestamp = r.timestamp(node.get("timestamp"), "timestamp", true);
    String tenant = r.string(node, "tenant_id", "tenant_id", options.defaultTenant() == null, 128, IdRules.TENANT,
        "letters, digits, '.', '_' or '-' (up to 128, not starting with '.' or '-')");
    if (tenant == null && !FieldReader.present(node.get("tenant_id"))) {
      tenant = options.defaultTenant();
    }
    String provider = r.string(node, "provider", "provider", false, 64, IdRules.PROVIDER,
        "letters, digits, '.', '_' or '-', e.g. anthropic");
    String model = r.string(node, "model", "model", true, 128, IdRules.MODEL, "a model id such as claude-sonnet-4-6");
    String route = r.string(node, "route", "route", true, 256, null, null);
    String feature = r.string(node, "feature", "feature", false, 256, null, null);
    String userId = r.string(node, "user_id", "user_id", false, 256, null, null);
    String taskId = r.string(node, "task_id", "task_id", false, 256, null, null);
    String parentTaskId = r.string(node, "parent_task_id", "parent_task_id", false, 256, null, null);
    String promptHash = promptHash(node, r);

    long maxTokens = options.maxTokens();
    Long input = tokens(node, usage, "input_tokens", r, maxTokens);
    Long output = tokens(node, usage, "output_tokens", r, maxTokens);
    Long cacheRead = tokens(node, usage, "cache_read_input_tokens", r, maxTokens);
    Long cacheCreation = tokens(node, usage, "cache_creation_input_tokens", r, maxTokens);
    requireSomewhere(node, usage, "input_tokens", r);
    requireSomewhere(node, usage, "output_tokens", r);
    CacheSplit split = cacheSplit(node, usage, cacheCreation, r, maxTokens);

    ServiceTier tier = serviceTier(node, usage, r);
    Long latency = r.integer(node.get("latency_ms"), "latency_ms", 0, MAX_LATENCY_MS);
    if (latency == null && !FieldReader.present(node.get("latency_ms"))) {
      r.error("latency_ms", "required");
    }
    Long ttft = r.integer(node.get("ttft_ms"), "ttft_ms", 0, MAX_LATENCY_MS);
    if (ttft != null && latency != null && ttft > latency) {
      r.error("ttft_ms", "must not exceed latency_ms (" + latency + ")");
    }
    String stopReason = r.string(node, "stop_reason", "stop_reason", false, 64, null, null);
    Long status = r.integer(node.get("status_code"), "status_code", 100, 599);
    if (status == null && !FieldReader.present(node.get("status_code"))) {
      r.error("status_code", "required (the HTTP status the provider answered, 200 on success)");
    }
    String errorType = r.string(node, "error_type", "error_type", false, 128, null, null);
    String requestId = r.string(node, "request_id", "request_id", false, 256, null, null);
    Instant receivedAt = r.timestamp(node.get("received_at"), "received_at", false);
    Map<String, String> attributes = attributes(node.get("attributes"), r);
    Long reportedCost = r.integer(node.get("reported_cost_nanos"), "reported_cost_nanos", 0, Long.MAX_VALUE);

    if (timestamp != null && options.clock() != null) {
      checkWindow(timestamp, "timestamp", options, r);
    }
    if (receivedAt != null && options.clock() != null) { // bounded like timestamp; the gateway then stamps its own
      checkWindow(receivedAt, "received_at", options, r);
    }
    if (!r.errors().isEmpty()) {
      return new ParseResult.Invalid(r.errors());
    }
    return new ParseResult.Valid(LlmCall.newBuilder()
        .setEventId(eventId)
        .setTimestamp(timestamp)
        .setTenantId(tenant)
        .setProvider(provider == null ? DEFAULT_PROVIDER : provider.toLowerCase(Locale.ROOT))
        .setModel(model)
        .setRoute(route)
        .setFeature(feature)
        .setUserId(userId)
        .setTaskId(taskId)
        .setParentTaskId(parentTaskId)
        .setPromptHash(promptHash)
        .setInputTokens(input)
        .setOutputTokens(output)
        .setCacheReadInputTokens(cacheRead == null ? 0 : cacheRead)
        .setCacheCreationInputTokens(split.total())
        .setCacheCreation5mInputTokens(split.fiveMinutes())
        .setCacheCreation1hInputTokens(split.oneHour())
        .setServiceTier(tier)
        .setLatencyMs(latency)
        .setTtftMs(ttft)
        .setStopReason(stopReason)
        .setStatusCode(status.intValue())
        .setErrorType(errorType)
        .setRequestId(requestId)
        .setReceivedAt(receivedAt)
        .setAttributes(attributes)
        .setReportedCostNanos(reportedCost)
        .build());
  }

  /** The JSON form of a call; parsing it gives back an equal call. */
  public static ObjectNode toJson(LlmCall call) {
    return AvroJson.toJson(call);
  }

  private static void unknownFields(JsonNode node, FieldReader r) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        String shown = name.length() > 64 || !FieldReader.isCleanText(name) ? "(unprintable or long name)" : name;
        String hint = closest(name);
        r.error(shown, "unknown field" + (hint == null ? "; put free-form labels into attributes"
            : "; did you mean '" + hint + "'?"));
      }
    }
  }

  private static String promptHash(JsonNode node, FieldReader r) {
    String given = r.string(node, "prompt_hash", "prompt_hash", false, 16, IdRules.HEX16,
        "16 hex characters: the first 8 bytes of SHA-256 of the prompt");
    JsonNode prompt = node.get("prompt");
    if (!FieldReader.present(prompt)) {
      return given == null ? null : given.toLowerCase(Locale.ROOT);
    }
    // A raw prompt is hashed here and goes no further; errors never quote it.
    String text = prompt.isTextual() ? prompt.textValue() : prompt.toString();
    String computed = PromptHash.of(text);
    if (given != null && !given.equalsIgnoreCase(computed)) {
      r.error("prompt_hash", "does not match the SHA-256 of prompt; send one or the other");
      return null;
    }
    return computed;
  }

  /** A token count from the top level or the usage object; both may be given if they agree. */
  private static Long tokens(JsonNode node, JsonNode usage, String name, FieldReader r, long max) {
    Long flat = r.integer(node.get(name), name, 0, max);
    Long nested = usage == null ? null : r.integer(usage.get(name), "usage." + name, 0, max);
    if (flat != null && nested != null && !flat.equals(nested)) {
      r.error(name, "given twice with different values (top level " + flat + ", usage " + nested + ")");
      return null;
    }
    return flat != null ? flat : nested;
  }

  private static void requireSomewhere(JsonNode node, JsonNode usage, String name, FieldReader r) {
    if (!FieldReader.present(node.get(name)) && (usage == null || !FieldReader.present(usage.get(name)))) {
      r.error(name, "required (top level or in usage)");
    }
  }

  private record CacheSplit(long total, Long fiveMinutes, Long oneHour) {}

  /**
   * The 5m/1h split of cache writes, from the flat fields or Anthropic's cache_creation object
   * (top level or in usage). When the split is known the two parts must add up to the total.
   */
  private static CacheSplit cacheSplit(JsonNode node, JsonNode usage, Long total, FieldReader r, long max) {
    Long flat5 = r.integer(node.get("cache_creation_5m_input_tokens"), "cache_creation_5m_input_tokens", 0, max);
    Long flat1 = r.integer(node.get("cache_creation_1h_input_tokens"), "cache_creation_1h_input_tokens", 0, max);
    Long obj5 = null;
    Long obj1 = null;
    for (String where : new String[] {"cache_creation", "usage.cache_creation"}) {
      JsonNode cc = where.startsWith("usage") ? (usage == null ? null : usage.get("cache_creation")) : node.get("cache_creation");
      if (!FieldReader.present(cc)) {
        continue;
      }
      if (!cc.isObject()) {
        r.error(where, "must be an object {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}");
        continue;
      }
      Long five = r.integer(cc.get("ephemeral_5m_input_tokens"), where + ".ephemeral_5m_input_tokens", 0, max);
      Long hour = r.integer(cc.get("ephemeral_1h_input_tokens"), where + ".ephemeral_1h_input_tokens", 0, max);
      obj5 = agree(obj5, five, where + ".ephemeral_5m_input_tokens", r);
      obj1 = agree(obj1, hour, where + ".ephemeral_1h_input_tokens", r);
    }
    Long five = agree(flat5, obj5, "cache_creation_5m_input_tokens", r);
    Long hour = agree(flat1, obj1, "cache_creation_1h_input_tokens", r);
    if (five == null && hour == null) {
      return new CacheSplit(total == null ? 0 : total, null, null);
    }
    if (total == null) {
      long f = five == null ? 0 : five;
      long h = hour == null ? 0 : hour;
      return new CacheSplit(f + h, f, h);
    }
    long f = five != null ? five : total - hour;
    long h = hour != null ? hour : total - five;
    if (f < 0 || h < 0 || f + h != total) {
      r.error("cache_creation_input_tokens", "must equal the 5-minute plus 1-hour cache writes (" + total + " vs "
          + (five == null ? "?" : five) + " + " + (hour == null ? "?" : hour) + ")");
    }
    return new CacheSplit(total, f, h);
  }

  private static Long agree(Long a, Long b, String path, FieldReader r) {
    if (a != null && b != null && !a.equals(b)) {
      r.error(path, "given twice with different values (" + a + " and " + b + ")");
    }
    return a != null ? a : b;
  }

  private static ServiceTier serviceTier(JsonNode node, JsonNode usage, FieldReader r) {
    ServiceTier flat = tier(node.get("service_tier"), "service_tier", r);
    ServiceTier nested = usage == null ? null : tier(usage.get("service_tier"), "usage.service_tier", r);
    if (flat != null && nested != null && flat != nested) {
      r.error("service_tier", "given twice with different values");
    }
    return flat != null ? flat : nested != null ? nested : ServiceTier.STANDARD;
  }

  private static ServiceTier tier(JsonNode n, String path, FieldReader r) {
    if (!FieldReader.present(n)) {
      return null;
    }
    if (n.isTextual()) {
      switch (n.textValue().toLowerCase(Locale.ROOT)) {
        case "standard":
          return ServiceTier.STANDARD;
        case "batch":
          return ServiceTier.BATCH;
        case "priority":
          return ServiceTier.PRIORITY;
        default:
          break;
      }
    }
    r.error(path, "must be one of standard, batch, priority");
    return null;
  }

  private static Map<String, String> attributes(JsonNode n, FieldReader r) {
    Map<String, String> out = new TreeMap<>();
    if (!FieldReader.present(n)) {
      return out;
    }
    if (!n.isObject()) {
      r.error("attributes", "must be an object of string values");
      return out;
    }
    if (n.size() > MAX_ATTRIBUTES) {
      r.error("attributes", "at most " + MAX_ATTRIBUTES + " entries, got " + n.size());
      return out;
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!ATTRIBUTE_KEY.matcher(e.getKey()).matches()) {
        r.error("attributes", "keys must be 1..64 of letters, digits, '_', '.', '-'");
        continue;
      }
      String v = r.string(n, e.getKey(), "attributes." + e.getKey(), true, 256, null, null);
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  private static void checkWindow(Instant t, String field, ParseOptions o, FieldReader r) {
    Instant now = o.clock().instant();
    if (t.isBefore(now.minus(o.maxPast()))) {
      r.error(field, "is more than " + human(o.maxPast()) + " in the past; such late events are refused"
          + " (replay them with spendstream replay)");
    } else if (t.isAfter(now.plus(o.maxFuture()))) {
      r.error(field, "is more than " + human(o.maxFuture()) + " in the future; check the sender's clock");
    }
  }

  private static String human(Duration d) {
    if (d.toDays() > 0 && d.toHours() % 24 == 0) {
      return d.toDays() + " days";
    }
    return d.toMinutes() + " minutes";
  }

  /** The known field closest to a misspelt one, if it is a likely typo. */
  static String closest(String name) {
    String best = null;
    int bestDistance = 3;
    for (String f : FIELDS.stream().sorted().toList()) {
      int d = levenshtein(name, f, bestDistance);
      if (d < bestDistance) {
        bestDistance = d;
        best = f;
      }
    }
    return best;
  }

  private static int levenshtein(String a, String b, int cap) {
    if (Math.abs(a.length() - b.length()) >= cap) {
      return cap;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
