package io.spendstream.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The project's JSON form of any of its Avro records: the schema's snake_case field names, timestamps
 * as RFC 3339 UTC strings with milliseconds, enums in lower case, money as integer nano-USD, absent
 * optionals as null, map keys sorted. Deterministic, so the same record always gives the same bytes
 * (replay relies on it). Unlike Avro's own JSON encoding, unions are not wrapped.
 */
public final class AvroJson {
  static {
    io.spendstream.schemas.AvroTrust.ensure();
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  public static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private AvroJson() {}

  public static ObjectNode toJson(SpecificRecord record) {
    ObjectNode out = NODES.objectNode();
    for (Schema.Field f : record.getSchema().getFields()) {
      out.set(f.name(), value(f.schema(), record.get(f.pos())));
    }
    return out;
  }

  public static String timestamp(Instant t) {
    return RFC3339_MILLIS.format(t);
  }

  private static JsonNode value(Schema schema, Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    return switch (schema.getType()) {
      case UNION -> value(nonNullBranch(schema), v);
      case RECORD -> toJson((SpecificRecord) v);
      case ENUM -> NODES.textNode(v.toString().toLowerCase(Locale.ROOT));
      case MAP -> map(schema, (Map<?, ?>) v);
      case ARRAY -> array(schema, (Collection<?>) v);
      case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis && v instanceof Instant i
          ? NODES.textNode(timestamp(i)) : NODES.numberNode(((Number) v).longValue());
      case INT -> NODES.numberNode(((Number) v).intValue());
      case DOUBLE, FLOAT -> NODES.numberNode(((Number) v).doubleValue());
      case BOOLEAN -> NODES.booleanNode((Boolean) v);
      case STRING -> NODES.textNode(v.toString());
      default -> throw new IllegalArgumentException("no JSON form for Avro type " + schema.getType());
    };
  }

  private static Schema nonNullBranch(Schema union) {
    return union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("union without a non-null branch: " + union));
  }

  private static ObjectNode map(Schema schema, Map<?, ?> m) {
    ObjectNode o = NODES.objectNode();
    stringKeys(m).forEach((k, val) -> o.set(k, value(schema.getValueType(), val)));
    return o;
  }

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> s = new TreeMap<>();
    m.forEach((k, v) -> s.put(k.toString(), v));
    return s;
  }

  private static ArrayNode array(Schema schema, Collection<?> c) {
    ArrayNode a = NODES.arrayNode();
    c.forEach(e -> a.add(value(schema.getElementType(), e)));
    return a;
  }
}
