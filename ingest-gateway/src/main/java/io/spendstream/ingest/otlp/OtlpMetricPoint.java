package io.spendstream.ingest.otlp;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One number data point of an OTLP metric, decoded from protobuf or JSON.
 *
 * @param kind the metric's data kind: sum, gauge, histogram, exponential_histogram or summary (only sums carry a
 *     value here)
 * @param temporality 1 delta, 2 cumulative, 0 unspecified (sums only)
 * @param value the point's value as an exact decimal (an int as is, a double from its shortest decimal form), null
 *     when the point is not a number
 */
public record OtlpMetricPoint(String metric, String unit, String kind, int temporality, long startNanos, long timeNanos,
    BigDecimal value, Map<String, Object> own, Map<String, Object> resource) {
  public static final int DELTA = 1;
  public static final int CUMULATIVE = 2;

  /** The point's attributes over its resource's, as one read-only view. */
  public Map<String, Object> attributes() {
    return LayeredAttributes.of(own, resource);
  }

  /**
   * 32 hex characters of a SHA-256 over the metric name and every attribute of the point and its resource: what the
   * OpenTelemetry data model calls one time series.
   */
  public String seriesId() {
    return sha256(metric + "\u0000" + new TreeMap<>(own) + "\u0000" + new TreeMap<>(resource));
  }

  /** The series, the start and the time: equal for the same point exported again. */
  public String pointId() {
    return sha256(seriesId() + "\u0000" + startNanos + "\u0000" + timeNanos);
  }

  private static String sha256(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
