package io.spendstream.ingest.otlp;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A record's own attributes over its resource's (the record's win), as one read-only view: resource attributes are
 * one map shared by every record of the resource, never copied per record (2,000 resource attributes × 20,000 records
 * must not become 40 million map entries).
 */
final class LayeredAttributes {
  private LayeredAttributes() {}

  static Map<String, Object> of(Map<String, Object> own, Map<String, Object> resource) {
    return new AbstractMap<>() {
      @Override
      public Object get(Object key) {
        Object v = own.get(key);
        return v != null || own.containsKey(key) ? v : resource.get(key);
      }

      @Override
      public boolean containsKey(Object key) {
        return own.containsKey(key) || resource.containsKey(key);
      }

      @Override
      public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> merged = new LinkedHashMap<>(resource);
        merged.putAll(own);
        return Collections.unmodifiableMap(merged).entrySet();
      }
    };
  }
}
