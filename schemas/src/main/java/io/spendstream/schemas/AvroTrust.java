package io.spendstream.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to load any class by name from a schema unless it is trusted, including our own
 * generated records and enums (SpecificData resolves them by name when reading or filling defaults).
 * This trusts the contract package and the project's internal state records (packages
 * {@code io.spendstream.*.avro}), on top of whatever the JVM already trusts. The entry points
 * (serde, JSON form, pricer) call it from their static initializers, so users need no system property.
 */
public final class AvroTrust {
  public static final String CONTRACT_PACKAGE = "io.spendstream.schemas.avro";
  private static volatile boolean installed;

  private AvroTrust() {}

  static boolean isProjectAvroPackage(String pkg) {
    return pkg.startsWith("io.spendstream.") && pkg.endsWith(".avro");
  }

  public static void ensure() {
    if (installed) {
      return;
    }
    synchronized (AvroTrust.class) {
      if (!installed) {
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
            c -> c.getPackageName().equals(CONTRACT_PACKAGE) || isProjectAvroPackage(c.getPackageName())));
        installed = true;
      }
    }
  }
}
