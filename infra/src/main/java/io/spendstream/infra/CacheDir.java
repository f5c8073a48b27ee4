package io.spendstream.infra;

import java.nio.file.Path;

/**
 * Where the build unpacks third-party runtimes (Apicurio Registry, chDB). One place so the Maven build
 * (property {@code spendstream.cache.dir}) and the launchers agree.
 */
public final class CacheDir {
  private CacheDir() {}

  public static Path resolve() {
    String prop = System.getProperty("spendstream.cache.dir");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    String env = System.getenv("SPENDSTREAM_CACHE_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "spendstream");
  }
}
