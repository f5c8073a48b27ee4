package io.spendstream.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.spendstream.schemas.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpSpansTest {
  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static byte[] export(int resourceAttributes, int spans, int valueChars) {
    Resource.Builder r = Resource.newBuilder();
    for (int i = 0; i < resourceAttributes; i++) {
      r.addAttributes(kv("r" + i, "x".repeat(valueChars)));
    }
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      ss.addSpans(Span.newBuilder().addAttributes(kv("gen_ai.request.model", "claude-haiku-4-5")));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(r).addScopeSpans(ss))
        .build().toByteArray();
  }

  @Test
  void resourceAttributesAreSharedByItsSpansNotCopied() throws Exception {
    List<GenAiSpan> spans = OtlpSpans.fromProtobuf(export(100, 5_000, 10), OtlpSpans.Limits.of(10_000));
    assertThat(spans).hasSize(5_000);
    // one map for the resource, whatever the number of spans: the deterministic figure of "no per-span copy"
    assertThat(spans.stream().map(GenAiSpan::resource).distinct()).hasSize(1);
    assertThat(spans.getFirst().attributes()).containsEntry("r7", "xxxxxxxxxx").containsEntry("gen_ai.request.model",
        "claude-haiku-4-5").hasSize(101);
    assertThat(spans.getFirst().isGenAi()).isTrue();
  }

  @Test
  void theAmplificationExportIsRefusedBeforeAnythingIsCopied() {
    // the reported attack: 2,000 resource attributes and 20,000 spans in ~175 KB
    assertThatThrownBy(() -> OtlpSpans.fromProtobuf(export(2_000, 100, 0), OtlpSpans.Limits.of(10_000)))
        .isInstanceOf(OtlpSpans.OverLimits.class).hasMessage("resource attributes: at most 128, got 2000");
    assertThatThrownBy(() -> OtlpSpans.fromProtobuf(export(1, 20_000, 0), OtlpSpans.Limits.of(10_000)))
        .isInstanceOf(OtlpSpans.TooManySpans.class).hasMessage("at most 10000 spans per request");
    assertThatThrownBy(() -> OtlpSpans.fromProtobuf(export(1, 1, 10_000), OtlpSpans.Limits.of(10_000)))
        .isInstanceOf(OtlpSpans.OverLimits.class).hasMessageContaining("at most 8192 characters");
  }

  @Test
  void jsonExportsHaveTheSameLimits() throws Exception {
    StringBuilder attrs = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      attrs.append(i == 0 ? "" : ",").append("{\"key\":\"r").append(i).append("\",\"value\":{\"stringValue\":\"v\"}}");
    }
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" + attrs + "]},\"scopeSpans\":[{\"spans\":[{}]}]}]}";
    assertThatThrownBy(() -> OtlpSpans.fromJson(Json.MAPPER.readTree(json), OtlpSpans.Limits.of(10)))
        .isInstanceOf(OtlpSpans.OverLimits.class).hasMessage("resource attributes: at most 128, got 200");
    String spans = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{},{},{}]}]}]}";
    assertThatThrownBy(() -> OtlpSpans.fromJson(Json.MAPPER.readTree(spans), OtlpSpans.Limits.of(2)))
        .isInstanceOf(OtlpSpans.TooManySpans.class);
  }
}
