package io.spendstream.ingest.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Adds a key hash for a tenant to the keys file (creating file or tenant), atomically. */
public final class KeysFileEditor {
  private static final YAMLMapper YAML = new YAMLMapper();

  private KeysFileEditor() {}

  /** Generates a key for {@code tenant}, stores its hash, and returns the key (shown once, never stored). */
  public static String addKey(Path file, String tenant) {
    try {
      ObjectNode root = Files.exists(file) && Files.size(file) > 0 ? (ObjectNode) YAML.readTree(file.toFile())
          : YAML.createObjectNode();
      ArrayNode tenants = root.has("tenants") ? (ArrayNode) root.get("tenants") : root.putArray("tenants");
      ObjectNode entry = null;
      for (JsonNode t : tenants) {
        if (tenant.equals(t.path("id").asText())) {
          entry = (ObjectNode) t;
        }
      }
      if (entry == null) {
        entry = tenants.addObject().put("id", tenant);
        entry.putArray("keys");
      }
      String key = ApiKeys.generate();
      ((ArrayNode) entry.get("keys")).add(ApiKeys.hash(key));
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".keys", ".yaml");
      YAML.writeValue(tmp.toFile(), root);
      TenantKeys.load(tmp); // never write a file the gateway would refuse
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update keys file " + file + ": " + e.getMessage(), e);
    }
  }
}
