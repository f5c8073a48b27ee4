package io.spendstream.stream.retrystorm;

import io.spendstream.stream.state.avro.StormCall;

/**
 * What the storm detector keeps of one call of a tenant x prompt hash: enough for the alert's evidence.
 * Tenant and hash are the store key, and route and model are taken from the crossing call.
 */
public record RecentCall(long timestamp, long outputTokens, int statusCode, String errorType, long costNanos) {
  public static RecentCall of(StormCall c) {
    return new RecentCall(c.getTimestamp(), c.getOutputTokens(), c.getStatusCode(), c.getErrorType(), c.getCostNanos());
  }

  boolean failed() {
    return statusCode >= 400 || errorType != null;
  }
}
