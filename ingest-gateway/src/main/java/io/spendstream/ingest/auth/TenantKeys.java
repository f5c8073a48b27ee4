package io.spendstream.ingest.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tenants and their API keys, stored hashed. A tenant may have several keys at once, which is how keys
 * rotate without downtime: add the new key, move clients, remove the old one. File format (YAML):
 *
 * <pre>
 * tenants:
 *   - id: acme
 *     keys: ["sha256:9f86d0...", "sha256:60303a..."]
 *     rate_limit_per_second: 5000   # optional, overrides the gateway default
 * </pre>
 */
public final class TenantKeys {
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  /** One tenant's settings. {@code rateLimitPerSecond} 0 = the gateway default. */
  public record Tenant(String id, long rateLimitPerSecond) {}

  private final Map<String, Tenant> tenantsByHash;

  private TenantKeys(Map<String, Tenant> tenantsByHash) {
    this.tenantsByHash = Map.copyOf(tenantsByHash);
  }

  /** The tenant a presented key belongs to. */
  public Optional<Tenant> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
      return Optional.empty();
    }
    return Optional.ofNullable(tenantsByHash.get(ApiKeys.hash(presentedKey)));
  }

  public int size() {
    return tenantsByHash.size();
  }

  public static TenantKeys load(Path file) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read tenant keys file " + file + ": " + e.getMessage(), e);
    }
    List<String> problems = new ArrayList<>();
    Map<String, Tenant> byHash = new HashMap<>();
    JsonNode tenants = root == null ? null : root.get("tenants");
    if (tenants == null || !tenants.isArray()) {
      throw new IllegalArgumentException("tenant keys file " + file + ": expected a top-level 'tenants' list");
    }
    for (int i = 0; i < tenants.size(); i++) {
      JsonNode t = tenants.get(i);
      String id = t.path("id").asText("");
      String where = "tenants[" + i + "]" + (id.isEmpty() ? "" : " (" + id + ")");
      if (!TENANT.matcher(id).matches()) {
        problems.add(where + ".id: letters, digits, '.', '_', '-' (up to 128)");
        continue;
      }
      long rate = t.path("rate_limit_per_second").asLong(0);
      if (rate < 0) {
        problems.add(where + ".rate_limit_per_second: must be >= 0");
      }
      JsonNode keys = t.get("keys");
      if (keys == null || !keys.isArray() || keys.isEmpty()) {
        problems.add(where + ".keys: at least one sha256:<hex> key hash (spendstream gateway keygen makes one)");
        continue;
      }
      for (JsonNode k : keys) {
        String hash = k.asText("");
        if (!HASH.matcher(hash).matches()) {
          problems.add(where + ".keys: '" + (hash.length() > 20 ? hash.substring(0, 20) + "..." : hash)
              + "' is not sha256:<64 lowercase hex>; store key hashes, never keys");
        } else if (byHash.putIfAbsent(hash, new Tenant(id, rate)) != null) {
          problems.add(where + ".keys: the same key hash is listed twice");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("tenant keys file " + file + " is invalid:\n  - " + String.join("\n  - ", problems));
    }
    return new TenantKeys(byHash);
  }
}
