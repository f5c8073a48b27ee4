package io.spendstream.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads OTLP metric exports (OTLP/HTTP protobuf, the OTLP JSON encoding, or an OTLP/gRPC call's request) into data
 * points within {@link OtlpSpans.Limits}: points of every kind are counted before any is converted (the limit is the
 * gateway's events per request), attributes are checked while they are. Sums become points with their value;
 * other kinds become one valueless point per metric, so that they are counted as ignored.
 */
public final class OtlpMetrics {
  private OtlpMetrics() {}

  public static List<OtlpMetricPoint> fromProtobuf(byte[] body, OtlpSpans.Limits limits)
      throws InvalidProtocolBufferException, OtlpSpans.TooManySpans, OtlpSpans.OverLimits {
    return fromRequest(ExportMetricsServiceRequest.parseFrom(body), limits);
  }

  public static List<OtlpMetricPoint> fromRequest(ExportMetricsServiceRequest req, OtlpSpans.Limits limits)
      throws OtlpSpans.TooManySpans, OtlpSpans.OverLimits {
    int points = 0;
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          points += switch (m.getDataCase()) {
            case SUM -> m.getSum().getDataPointsCount();
            case GAUGE -> m.getGauge().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            default -> 0;
          };
          if (points > limits.maxSpans()) {
            throw new OtlpSpans.TooManySpans(limits.maxSpans(), "data points");
          }
        }
      }
    }
    List<OtlpMetricPoint> out = new ArrayList<>();
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      Map<String, Object> resource = OtlpValues.attributes(rm.getResource().getAttributesList(), "resource", limits);
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        OtlpValues.attributes(sm.getScope().getAttributesList(), "scope", limits);
        for (Metric m : sm.getMetricsList()) {
          if (m.getDataCase() != Metric.DataCase.SUM) {
            out.add(new OtlpMetricPoint(m.getName(), m.getUnit(), m.getDataCase().name().toLowerCase(java.util.Locale.ROOT),
                0, 0, 0, null, Map.of(), resource));
            continue;
          }
          int temporality = m.getSum().getAggregationTemporalityValue();
          for (NumberDataPoint p : m.getSum().getDataPointsList()) {
            BigDecimal value = switch (p.getValueCase()) {
              case AS_INT -> BigDecimal.valueOf(p.getAsInt());
              case AS_DOUBLE -> Double.isFinite(p.getAsDouble()) ? new BigDecimal(Double.toString(p.getAsDouble())) : null;
              default -> null;
            };
            out.add(new OtlpMetricPoint(m.getName(), m.getUnit(), "sum", temporality, p.getStartTimeUnixNano(),
                p.getTimeUnixNano(), value, OtlpValues.attributes(p.getAttributesList(), "data point", limits), resource));
          }
        }
      }
    }
    return out;
  }

  /** The OTLP JSON encoding: lowerCamelCase names, 64-bit integers as strings or numbers, enums as integers. */
  public static List<OtlpMetricPoint> fromJson(JsonNode root, OtlpSpans.Limits limits)
      throws OtlpSpans.TooManySpans, OtlpSpans.OverLimits {
    int points = 0;
    for (JsonNode rm : root.path("resourceMetrics")) {
      for (JsonNode sm : rm.path("scopeMetrics")) {
        for (JsonNode m : sm.path("metrics")) {
          for (String kind : KINDS) {
            points += m.path(kind).path("dataPoints").size();
          }
          if (points > limits.maxSpans()) {
            throw new OtlpSpans.TooManySpans(limits.maxSpans(), "data points");
          }
        }
      }
    }
    List<OtlpMetricPoint> out = new ArrayList<>();
    for (JsonNode rm : root.path("resourceMetrics")) {
      Map<String, Object> resource = OtlpValues.jsonAttributes(rm.path("resource").path("attributes"), "resource", limits);
      for (JsonNode sm : rm.path("scopeMetrics")) {
        OtlpValues.jsonAttributes(sm.path("scope").path("attributes"), "scope", limits);
        for (JsonNode m : sm.path("metrics")) {
          String name = m.path("name").asText("");
          String unit = m.path("unit").asText("");
          JsonNode sum = m.path("sum");
          if (!sum.isObject()) {
            String kind = KINDS.stream().filter(m::has).findFirst().orElse("none");
            out.add(new OtlpMetricPoint(name, unit, kind, 0, 0, 0, null, Map.of(), resource));
            continue;
          }
          int temporality = temporality(sum.path("aggregationTemporality"));
          for (JsonNode p : sum.path("dataPoints")) {
            out.add(new OtlpMetricPoint(name, unit, "sum", temporality, p.path("startTimeUnixNano").asLong(0),
                p.path("timeUnixNano").asLong(0), jsonValue(p),
                OtlpValues.jsonAttributes(p.path("attributes"), "data point", limits), resource));
          }
        }
      }
    }
    return out;
  }

  private static final List<String> KINDS = List.of("sum", "gauge", "histogram", "exponentialHistogram", "summary");

  /** An integer, or the enum's name (some encoders write names). */
  private static int temporality(JsonNode t) {
    if (t.isNumber() || t.isTextual() && t.asText().matches("\\d")) {
      return t.asInt();
    }
    return switch (t.asText("")) {
      case "AGGREGATION_TEMPORALITY_DELTA" -> OtlpMetricPoint.DELTA;
      case "AGGREGATION_TEMPORALITY_CUMULATIVE" -> OtlpMetricPoint.CUMULATIVE;
      default -> 0;
    };
  }

  private static BigDecimal jsonValue(JsonNode p) {
    try {
      JsonNode i = p.path("asInt");
      if (i.isIntegralNumber() || i.isTextual() && i.asText().matches("-?\\d{1,19}")) {
        return new BigDecimal(i.asText());
      }
      JsonNode d = p.path("asDouble");
      if (d.isNumber()) {
        return Double.isFinite(d.asDouble()) ? new BigDecimal(Double.toString(d.asDouble())) : null;
      }
      if (d.isTextual() && d.asText().length() <= 40) {
        return new BigDecimal(d.asText());
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }
}
