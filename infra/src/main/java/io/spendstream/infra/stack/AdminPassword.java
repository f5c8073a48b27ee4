package io.spendstream.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local stack's ClickHouse admin password: generated on the first {@code up}, kept in the state dir with
 * mode 600 (like the demo API key), reused afterwards. The endpoint and the services that write to ClickHouse
 * get it through {@code SPENDSTREAM_CH_PASSWORD}; commands run by hand read the file.
 */
public record AdminPassword(String password, Path file, boolean created) {
  public static final String FILE = "clickhouse-admin-password";
  public static final String ENV = "SPENDSTREAM_CH_PASSWORD";

  /** Reads the state dir's password, or makes one (24 random bytes, base64url) when there is none. */
  public static AdminPassword ensure(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      if (Files.isRegularFile(file)) {
        return new AdminPassword(Files.readString(file).strip(), file, false);
      }
      Files.createDirectories(stateDir);
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.writeString(file, password + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return new AdminPassword(password, file, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the ClickHouse admin password in " + file + ": " + e.getMessage(), e);
    }
  }

  /** The password in the state dir if there is one (a stack was started there), else empty. */
  public static String readIfPresent(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      return Files.isReadable(file) ? Files.readString(file).strip() : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "AdminPassword[file=" + file + ", created=" + created + ", password=***]";
  }
}
