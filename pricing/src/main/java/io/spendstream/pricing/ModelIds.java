package io.spendstream.pricing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the model ids seen in the wild into catalog keys: Anthropic API ids with a date suffix
 * ({@code claude-sonnet-4-6-20260315}), Vertex AI ids ({@code claude-sonnet-4-6@20260315}) and Bedrock
 * ids ({@code us.anthropic.claude-sonnet-4-6-20260315-v1:0}).
 */
public final class ModelIds {
  private static final Pattern BEDROCK_PREFIX = Pattern.compile("^(?:[a-z]+\\.)?anthropic\\.");
  private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(?::\\d+)?$");
  private static final Pattern VERTEX_DATE = Pattern.compile("@(\\d{8})$");
  private static final Pattern DATE_SUFFIX = Pattern.compile("-\\d{8}$");

  private ModelIds() {}

  /** Lower case, provider decorations removed; keeps a date suffix. */
  public static String normalize(String modelId) {
    String id = modelId.trim().toLowerCase(Locale.ROOT);
    id = BEDROCK_PREFIX.matcher(id).replaceFirst("");
    id = BEDROCK_VERSION.matcher(id).replaceFirst("");
    return VERTEX_DATE.matcher(id).replaceFirst("-$1");
  }

  /** Catalog keys to try, most specific first: the dated id, then its family. */
  public static List<String> candidates(String modelId) {
    String id = normalize(modelId);
    List<String> out = new ArrayList<>(2);
    out.add(id);
    String family = DATE_SUFFIX.matcher(id).replaceFirst("");
    if (!family.equals(id)) {
      out.add(family);
    }
    return out;
  }
}
