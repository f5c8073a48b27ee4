package io.spendstream.schemas;

import io.spendstream.schemas.avro.LlmCall;
import java.nio.charset.StandardCharsets;

/**
 * The record key of llm.calls.v1: tenant and prompt hash, or tenant and event_id for a call without a prompt hash.
 * With the producer's default partitioner (murmur2 of the key bytes) every retry of a call and every call of a
 * retry storm land on one partition, where the processor deduplicates, prices and detects storms in one pass,
 * while a busy tenant's different prompts still spread over all partitions.
 *
 * <p>Form: {@code <length of tenant>:<tenant>p:<prompt_hash>} or {@code <length of tenant>:<tenant>e:<event_id>};
 * the length first, so that no tenant/id pair can spell another's. A record with any other key is still
 * handled correctly: the processor re-keys it onto its partition once (llm.calls.rerouted.v1).
 */
public final class CallKeys {
  private CallKeys() {}

  public static String of(LlmCall call) {
    return of(call.getTenantId(), call.getPromptHash(), call.getEventId());
  }

  public static String of(String tenant, String promptHash, String eventId) {
    String t = tenant == null || tenant.isBlank() ? Topics.SYSTEM_TENANT : tenant;
    return promptHash != null ? t.length() + ":" + t + "p:" + promptHash : t.length() + ":" + t + "e:" + eventId;
  }

  public static byte[] bytes(LlmCall call) {
    return of(call).getBytes(StandardCharsets.UTF_8);
  }
}
