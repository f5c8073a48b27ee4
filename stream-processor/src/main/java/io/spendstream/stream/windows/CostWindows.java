package io.spendstream.stream.windows;

import io.spendstream.schemas.LatencyHistogram;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Accumulates priced calls into a window's totals (exact integer sums). */
public final class CostWindows {
  private CostWindows() {}

  public static CostWindow empty() {
    return CostWindow.newBuilder().setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH).setWindowSizeMs(0)
        .setTenantId("").setRoute("").setModel("").setCalls(0).setErrors(0).setRateLimited(0).setMaxTokensStops(0)
        .setUnpricedCalls(0).setInputTokens(0).setOutputTokens(0).setCacheReadInputTokens(0)
        .setCacheCreationInputTokens(0).setCostNanos(0).setLatencySumMs(0).setLatencyMaxMs(0)
        .setLatencyHistogram(new ArrayList<>(Collections.nCopies(LatencyHistogram.BUCKETS, 0L))).build();
  }

  public static CostWindow add(CostWindow w, PricedCall p) {
    LlmCall c = p.getCall();
    w.setTenantId(c.getTenantId());
    w.setRoute(c.getRoute());
    w.setModel(c.getModel());
    w.setCalls(w.getCalls() + 1);
    if (isError(c)) {
      w.setErrors(w.getErrors() + 1);
    }
    if (c.getStatusCode() == 429 || "rate_limit_error".equals(c.getErrorType())) {
      w.setRateLimited(w.getRateLimited() + 1);
    }
    if ("max_tokens".equals(c.getStopReason())) {
      w.setMaxTokensStops(w.getMaxTokensStops() + 1);
    }
    if (p.getPriceStatus() != PriceStatus.PRICED) {
      w.setUnpricedCalls(w.getUnpricedCalls() + 1);
    }
    w.setInputTokens(Math.addExact(w.getInputTokens(), c.getInputTokens()));
    w.setOutputTokens(Math.addExact(w.getOutputTokens(), c.getOutputTokens()));
    w.setCacheReadInputTokens(Math.addExact(w.getCacheReadInputTokens(), c.getCacheReadInputTokens()));
    w.setCacheCreationInputTokens(Math.addExact(w.getCacheCreationInputTokens(), c.getCacheCreationInputTokens()));
    w.setCostNanos(Math.addExact(w.getCostNanos(), p.getCostNanos()));
    w.setLatencySumMs(Math.addExact(w.getLatencySumMs(), c.getLatencyMs()));
    w.setLatencyMaxMs(Math.max(w.getLatencyMaxMs(), c.getLatencyMs()));
    List<Long> h = w.getLatencyHistogram();
    if (h.size() < LatencyHistogram.BUCKETS) { // written by an older version with fewer buckets
      h = new ArrayList<>(h);
      while (h.size() < LatencyHistogram.BUCKETS) {
        h.add(0L);
      }
      w.setLatencyHistogram(h);
    }
    int b = LatencyHistogram.bucketOf(c.getLatencyMs());
    h.set(b, h.get(b) + 1);
    return w;
  }

  /** Adds window {@code w} into {@code sum} (a larger window containing it). */
  public static CostWindow merge(CostWindow sum, CostWindow w) {
    sum.setTenantId(w.getTenantId());
    sum.setRoute(w.getRoute());
    sum.setModel(w.getModel());
    sum.setCalls(sum.getCalls() + w.getCalls());
    sum.setErrors(sum.getErrors() + w.getErrors());
    sum.setRateLimited(sum.getRateLimited() + w.getRateLimited());
    sum.setMaxTokensStops(sum.getMaxTokensStops() + w.getMaxTokensStops());
    sum.setUnpricedCalls(sum.getUnpricedCalls() + w.getUnpricedCalls());
    sum.setInputTokens(Math.addExact(sum.getInputTokens(), w.getInputTokens()));
    sum.setOutputTokens(Math.addExact(sum.getOutputTokens(), w.getOutputTokens()));
    sum.setCacheReadInputTokens(Math.addExact(sum.getCacheReadInputTokens(), w.getCacheReadInputTokens()));
    sum.setCacheCreationInputTokens(Math.addExact(sum.getCacheCreationInputTokens(), w.getCacheCreationInputTokens()));
    sum.setCostNanos(Math.addExact(sum.getCostNanos(), w.getCostNanos()));
    sum.setLatencySumMs(Math.addExact(sum.getLatencySumMs(), w.getLatencySumMs()));
    sum.setLatencyMaxMs(Math.max(sum.getLatencyMaxMs(), w.getLatencyMaxMs()));
    List<Long> h = new ArrayList<>(sum.getLatencyHistogram());
    List<Long> add = w.getLatencyHistogram();
    for (int i = 0; i < add.size(); i++) {
      if (i < h.size()) {
        h.set(i, h.get(i) + add.get(i));
      } else {
        h.add(add.get(i));
      }
    }
    sum.setLatencyHistogram(h);
    return sum;
  }

  public static boolean isError(LlmCall c) {
    return c.getStatusCode() >= 400 || c.getErrorType() != null;
  }

  public static CostWindow finish(CostWindow w, long startMs, long endMs) {
    return CostWindow.newBuilder(w).setWindowStart(Instant.ofEpochMilli(startMs)).setWindowEnd(Instant.ofEpochMilli(endMs))
        .setWindowSizeMs(endMs - startMs).build();
  }
}
