package io.spendstream.cli;

import java.nio.file.Path;

/** Where the repository and its local state are: the ./spendstream script exports SPENDSTREAM_HOME. */
final class Repo {
  /** The gateway's tenant keys file inside a state dir. */
  static final String KEYS_FILE = "gateway-keys.yaml";

  private Repo() {}

  static Path home() {
    String home = System.getenv("SPENDSTREAM_HOME");
    return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
  }

  /** {@code .spendstream} in the repository: data, logs and keys of the local stack. */
  static Path defaultStateDir() {
    return home().resolve(".spendstream");
  }
}
