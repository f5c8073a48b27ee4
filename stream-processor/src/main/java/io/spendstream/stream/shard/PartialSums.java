package io.spendstream.stream.shard;

import io.spendstream.schemas.LatencyHistogram;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.serde.MalformedRecordException;
import io.spendstream.stream.windows.CostWindows;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A shard's running totals of one open base window x dimension: read and written once per call, so only numbers
 * (the dimension is in the store key, the window in the key's start) as varints behind a version byte, the latency
 * histogram sparse. Measured in a profile of the processor benchmark: the full {@link CostWindow} as state cost 19 %
 * of the stream thread in this step, mostly its encoding; this form is a fraction of that. Sums are checked.
 */
public final class PartialSums {
  private static final byte VERSION = 1;
  private static final int FIELDS = 12;
  private static final int CALLS = 0;
  private static final int ERRORS = 1;
  private static final int RATE_LIMITED = 2;
  private static final int MAX_TOKENS = 3;
  private static final int UNPRICED = 4;
  private static final int INPUT = 5;
  private static final int OUTPUT = 6;
  private static final int CACHE_READ = 7;
  private static final int CACHE_WRITE = 8;
  private static final int COST = 9;
  private static final int LATENCY_SUM = 10;
  private static final int LATENCY_MAX = 11;

  private final long[] f;
  private final long[] histogram;

  private PartialSums(long[] f, long[] histogram) {
    this.f = f;
    this.histogram = histogram;
  }

  public static PartialSums empty() {
    return new PartialSums(new long[FIELDS], new long[LatencyHistogram.BUCKETS]);
  }

  public PartialSums add(PricedCall p) {
    LlmCall c = p.getCall();
    f[CALLS] = Math.addExact(f[CALLS], 1);
    if (CostWindows.isError(c)) {
      f[ERRORS]++;
    }
    if (c.getStatusCode() == 429 || "rate_limit_error".equals(c.getErrorType())) {
      f[RATE_LIMITED]++;
    }
    if ("max_tokens".equals(c.getStopReason())) {
      f[MAX_TOKENS]++;
    }
    if (p.getPriceStatus() != PriceStatus.PRICED) {
      f[UNPRICED]++;
    }
    f[INPUT] = Math.addExact(f[INPUT], c.getInputTokens());
    f[OUTPUT] = Math.addExact(f[OUTPUT], c.getOutputTokens());
    f[CACHE_READ] = Math.addExact(f[CACHE_READ], c.getCacheReadInputTokens());
    f[CACHE_WRITE] = Math.addExact(f[CACHE_WRITE], c.getCacheCreationInputTokens());
    f[COST] = Math.addExact(f[COST], p.getCostNanos());
    f[LATENCY_SUM] = Math.addExact(f[LATENCY_SUM], c.getLatencyMs());
    f[LATENCY_MAX] = Math.max(f[LATENCY_MAX], c.getLatencyMs());
    histogram[LatencyHistogram.bucketOf(c.getLatencyMs())]++;
    return this;
  }

  /** The window record of these sums, for a dimension {@code tenant|model|route}. */
  public CostWindow toWindow(long startMs, long endMs, String dimension) {
    int a = dimension.indexOf('|');
    int b = dimension.indexOf('|', a + 1); // tenant and model never contain '|'; a route may
    List<Long> h = new ArrayList<>(histogram.length);
    for (long v : histogram) {
      h.add(v);
    }
    return CostWindow.newBuilder().setWindowStart(Instant.ofEpochMilli(startMs)).setWindowEnd(Instant.ofEpochMilli(endMs))
        .setWindowSizeMs(endMs - startMs).setTenantId(dimension.substring(0, a)).setModel(dimension.substring(a + 1, b))
        .setRoute(dimension.substring(b + 1)).setCalls(f[CALLS]).setErrors(f[ERRORS]).setRateLimited(f[RATE_LIMITED])
        .setMaxTokensStops(f[MAX_TOKENS]).setUnpricedCalls(f[UNPRICED]).setInputTokens(f[INPUT]).setOutputTokens(f[OUTPUT])
        .setCacheReadInputTokens(f[CACHE_READ]).setCacheCreationInputTokens(f[CACHE_WRITE]).setCostNanos(f[COST])
        .setLatencySumMs(f[LATENCY_SUM]).setLatencyMaxMs(f[LATENCY_MAX]).setShard(0).setLatencyHistogram(h).build();
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    out.write(VERSION);
    for (long v : f) {
      Varints.write(out, v);
    }
    int nonZero = 0;
    for (long v : histogram) {
      nonZero += v != 0 ? 1 : 0;
    }
    Varints.write(out, nonZero);
    for (int i = 0; i < histogram.length; i++) {
      if (histogram[i] != 0) {
        Varints.write(out, i);
        Varints.write(out, histogram[i]);
      }
    }
    return out.toByteArray();
  }

  static PartialSums decode(byte[] bytes) {
    return Varints.decoding("window partial", () -> {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.get() != VERSION) {
        throw new MalformedRecordException("window partial", "unknown version " + bytes[0], null);
      }
      long[] f = new long[FIELDS];
      for (int i = 0; i < FIELDS; i++) {
        f[i] = Varints.read(in);
      }
      long[] h = new long[LatencyHistogram.BUCKETS];
      long n = Varints.read(in);
      for (long k = 0; k < n; k++) {
        int i = (int) Varints.read(in);
        h[i] = Varints.read(in);
      }
      if (in.hasRemaining()) {
        throw new MalformedRecordException("window partial", "trailing bytes", null);
      }
      return new PartialSums(f, h);
    });
  }

  /** The store's value serde. */
  public static final class StateSerde implements Serde<PartialSums> {
    @Override
    public Serializer<PartialSums> serializer() {
      return (topic, p) -> p == null ? null : p.encode();
    }

    @Override
    public Deserializer<PartialSums> deserializer() {
      return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
  }
}
