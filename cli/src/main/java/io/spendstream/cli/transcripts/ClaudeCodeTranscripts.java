package io.spendstream.cli.transcripts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.schemas.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Claude Code's local session transcripts (the JSONL files under {@code ~/.claude/projects/<project>/}, subagents'
 * under {@code <session>/subagents/agent-<id>.jsonl}) to calls in the event JSON form. Each API response appears as
 * one or more {@code "type":"assistant"} lines (one per content block) sharing its {@code requestId} and
 * {@code message.id} and carrying the API's {@code usage}; they become one call, keyed like the OTLP path
 * ({@code cc-api_request-<requestId>}) so a call sent both ways is counted once, and a second import adds nothing.
 */
public final class ClaudeCodeTranscripts {
  public static final String ROUTE = "claude-code";
  private static final Set<String> USAGE_FIELDS = Set.of("input_tokens", "output_tokens", "cache_read_input_tokens",
      "cache_creation_input_tokens", "cache_creation", "service_tier");

  /** What was read: the calls (oldest first) and what was left out, counted. */
  public record Reading(List<ObjectNode> calls, int files, long lines, long responseLines, long unreadable, long synthetic,
      long withoutId, long tooOld, Instant oldestTooOld) {}

  private ClaudeCodeTranscripts() {}

  /** Every .jsonl file under {@code dir}; calls older than {@code notBefore} are counted, not returned. */
  public static Reading read(Path dir, Instant notBefore) {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".jsonl") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    Map<String, ObjectNode> byKey = new LinkedHashMap<>();
    long lines = 0;
    long responses = 0;
    long unreadable = 0;
    long synthetic = 0;
    long withoutId = 0;
    for (Path f : files) {
      try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines++;
          JsonNode n;
          try {
            n = Json.MAPPER.readTree(line);
          } catch (IOException e) {
            unreadable++;
            continue;
          }
          if (n == null || !n.isObject() || !"assistant".equals(n.path("type").asText()) || !n.path("message").path("usage").isObject()) {
            continue; // user turns, tool results, summaries, snapshots: no usage
          }
          responses++;
          JsonNode message = n.get("message");
          if ("<synthetic>".equals(message.path("model").asText())) { // Claude Code's own error turns: no API call
            synthetic++;
            continue;
          }
          String key = key(n);
          if (key == null) {
            withoutId++;
            continue;
          }
          ObjectNode call = toCall(n, key);
          if (call == null) {
            unreadable++;
            continue;
          }
          // the lines of one response repeat its usage; a streamed earlier line may show fewer output tokens
          ObjectNode before = byKey.get(key);
          if (before == null || outputTokens(call) > outputTokens(before)) {
            byKey.put(key, call);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    List<ObjectNode> calls = new ArrayList<>();
    long tooOld = 0;
    Instant oldest = null;
    for (ObjectNode c : byKey.values()) {
      Instant at = Instant.parse(c.get("timestamp").asText());
      if (at.isBefore(notBefore)) {
        tooOld++;
        oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
      } else {
        calls.add(c);
      }
    }
    calls.sort((a, b) -> a.get("timestamp").asText().compareTo(b.get("timestamp").asText()));
    return new Reading(calls, files.size(), lines, responses, unreadable, synthetic, withoutId, tooOld, oldest);
  }

  /** The response's id: its API request id, else its message id; null when it has neither (or one unfit for an id). */
  static String key(JsonNode line) {
    String request = line.path("requestId").asText("");
    if (fits(request)) {
      return "cc-api_request-" + request;
    }
    String message = line.path("message").path("id").asText("");
    return fits(message) ? "cc-message-" + message : null;
  }

  private static boolean fits(String id) {
    return !id.isEmpty() && id.length() <= 100 && id.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
  }

  private static ObjectNode toCall(JsonNode line, String key) {
    JsonNode message = line.get("message");
    String model = message.path("model").asText("");
    String session = line.path("sessionId").asText("");
    Instant at;
    try {
      at = Instant.parse(line.path("timestamp").asText(""));
    } catch (DateTimeParseException e) {
      return null;
    }
    if (model.isEmpty() || session.isEmpty()) {
      return null;
    }
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("event_id", key);
    e.put("timestamp", at.toString());
    e.put("provider", "anthropic");
    e.put("model", model);
    e.put("route", ROUTE);
    // a subagent's calls are a task of their own under the session, so RUNAWAY_TASK rolls them up to it
    String agent = line.path("agentId").asText("");
    if (line.path("isSidechain").asBoolean(false) && !agent.isEmpty()) {
      e.put("task_id", session + ":" + agent);
      e.put("parent_task_id", session);
    } else {
      e.put("task_id", session);
    }
    ObjectNode usage = e.putObject("usage");
    message.get("usage").properties().forEach(f -> {
      if (USAGE_FIELDS.contains(f.getKey())) {
        usage.set(f.getKey(), f.getValue());
      }
    });
    e.put("latency_ms", 0); // transcripts do not record how long a request took
    e.put("status_code", 200);
    if (message.path("stop_reason").isTextual()) {
      e.put("stop_reason", message.get("stop_reason").asText());
    }
    String request = line.path("requestId").asText("");
    if (!request.isEmpty() && request.length() <= 256) {
      e.put("request_id", request);
    }
    ObjectNode attributes = e.putObject("attributes").put("source", "claude_code_transcript");
    String version = line.path("version").asText("");
    if (!version.isEmpty() && version.length() <= 64) {
      attributes.put("app.version", version);
    }
    return e;
  }

  private static long outputTokens(ObjectNode call) {
    return call.path("usage").path("output_tokens").asLong(0);
  }
}
