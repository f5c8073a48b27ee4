package io.spendstream.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Third-party versions pinned in the parent POM, filtered into this module's resources at build time. */
public final class InfraVersions {
  private static final Properties VERSIONS = load();

  private InfraVersions() {}

  public static String apicurio() {
    return VERSIONS.getProperty("apicurio.version");
  }

  public static String chdb() {
    return VERSIONS.getProperty("chdb.version");
  }

  public static String kafka() {
    return VERSIONS.getProperty("kafka.version");
  }

  private static Properties load() {
    try (InputStream in = InfraVersions.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("versions.properties missing from the infra jar; rebuild with mvn install");
      }
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
