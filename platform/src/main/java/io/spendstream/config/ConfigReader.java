package io.spendstream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads values out of a YAML config tree and records problems instead of throwing, so that one pass finds
 * them all. Durations are ISO-8601 ({@code PT10M}) or short ({@code 500ms}, {@code 60s}, {@code 10m},
 * {@code 24h}, {@code 7d}); money is USD as a decimal string or number, kept exact as nano-USD.
 */
public final class ConfigReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);
  private final List<String> problems = new ArrayList<>();

  /** The YAML tree of a file; a missing or empty document is an empty mapping. */
  public static JsonNode readFile(Path file) {
    try {
      return readTree(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
    }
  }

  public static JsonNode readTree(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(List.of(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(List.of(source + ": the top level must be a mapping"));
    }
    return root;
  }

  public List<String> problems() {
    return problems;
  }

  public void problem(String path, String why) {
    problems.add(path + ": " + why);
  }

  /** Throws one exception naming every problem found, each prefixed with the source. */
  public void throwIfAny(String source) {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems.stream().map(p -> source + ": " + p).toList());
    }
  }

  /** Runs a constructor that validates; its problems are recorded and null returned. */
  public <T> T build(Supplier<T> make) {
    try {
      return make.get();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  public void unknownKeys(JsonNode n, String prefix, Set<String> allowed) {
    n.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        problems.add(prefix + k + ": unknown setting (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    });
  }

  public JsonNode object(JsonNode parent, String key, Set<String> allowed) {
    return object(parent, key, allowed, "");
  }

  /** The mapping under key (empty when absent), with unknown keys reported. */
  public JsonNode object(JsonNode parent, String key, Set<String> allowed, String prefix) {
    JsonNode n = parent.path(key);
    String name = prefix.isEmpty() ? key : prefix + "." + key;
    if (n.isMissingNode() || n.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!n.isObject()) {
      problems.add(name + ": must be a mapping");
      return JsonNodeFactory.instance.objectNode();
    }
    unknownKeys(n, name + ".", allowed);
    return n;
  }

  public Duration duration(JsonNode n, String path, Duration dflt) {
    JsonNode v = n.get(last(path));
    return v == null || v.isNull() ? dflt : durationValue(v, path);
  }

  public Duration durationValue(JsonNode v, String path) {
    String text = v.asText().trim();
    Matcher m = SHORT_DURATION.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(path + ": '" + text + "' is not a duration (use e.g. 60s, 10m, 24h or PT10M)");
      return Duration.ofSeconds(1);
    }
  }

  public int integer(JsonNode n, String path, int dflt) {
    JsonNode v = n.get(last(path));
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      problems.add(path + ": must be a whole number");
      return dflt;
    }
    return v.intValue();
  }

  public boolean bool(JsonNode n, String path, boolean dflt) {
    JsonNode v = n.get(last(path));
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      problems.add(path + ": must be true or false");
      return dflt;
    }
    return v.booleanValue();
  }

  public String text(JsonNode n, String path, String dflt) {
    JsonNode v = n.get(last(path));
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isValueNode() || v.asText().isBlank()) {
      problems.add(path + ": must be a non-empty string");
      return dflt;
    }
    return v.asText().trim();
  }

  /** A list of strings; a single string is a list of one. */
  public List<String> texts(JsonNode n, String path) {
    JsonNode v = n.get(last(path));
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (v.isValueNode()) {
      return List.of(v.asText().trim());
    }
    List<String> out = new ArrayList<>();
    if (!v.isArray()) {
      problems.add(path + ": must be a string or a list of strings");
      return out;
    }
    for (JsonNode e : v) {
      if (!e.isValueNode() || e.asText().isBlank()) {
        problems.add(path + ": entries must be non-empty strings");
      } else {
        out.add(e.asText().trim());
      }
    }
    return out;
  }

  public BigDecimal decimal(JsonNode n, String path, BigDecimal dflt) {
    JsonNode v = n.get(last(path));
    if (v == null || v.isNull()) {
      return dflt;
    }
    try {
      // the text form keeps 0.1 exact (a YAML float would already be a binary double)
      return new BigDecimal(v.asText().trim());
    } catch (NumberFormatException e) {
      problems.add(path + ": '" + v.asText() + "' is not a number");
      return dflt;
    }
  }

  public long usdNanos(JsonNode n, String path, long dflt) {
    BigDecimal usd = decimal(n, path, null);
    if (usd == null) {
      return dflt;
    }
    BigDecimal nanos = usd.multiply(NANOS_PER_USD);
    if (nanos.stripTrailingZeros().scale() > 0) {
      problems.add(path + ": more precise than a nano-USD");
      return dflt;
    }
    return nanos.longValue();
  }

  private static String last(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }
}
