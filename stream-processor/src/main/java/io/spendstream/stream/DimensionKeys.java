package io.spendstream.stream;

import io.spendstream.schemas.avro.LlmCall;

/**
 * Keys of the grouped streams. Tenant ids and model ids never contain '|' (the gateway and the processor
 * check it), so {@code tenant|model|route} is unambiguous even when a route contains '|'.
 */
public final class DimensionKeys {
  private DimensionKeys() {}

  /** Key of llm.calls.priced.v1 and the cost windows: one tenant x model x route. */
  public static String tenantModelRoute(LlmCall c) {
    return c.getTenantId() + '|' + c.getModel() + '|' + c.getRoute();
  }

  public static String tenantRoute(LlmCall c) {
    return c.getTenantId() + '|' + c.getRoute();
  }

  public static String tenantPrompt(LlmCall c) {
    return c.getTenantId() + '|' + c.getPromptHash();
  }
}
