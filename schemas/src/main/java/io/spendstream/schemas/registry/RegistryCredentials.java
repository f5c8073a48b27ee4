package io.spendstream.schemas.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How the client authenticates. {@code toString()} never shows the secret. */
public sealed interface RegistryCredentials {
  /** The value of the Authorization header. */
  String authorizationHeader();

  record None() implements RegistryCredentials {
    @Override
    public String authorizationHeader() {
      return null;
    }
  }

  record Basic(String user, String password) implements RegistryCredentials {
    public Basic {
      if (user == null || user.isEmpty() || password == null) {
        throw new IllegalArgumentException("basic auth needs a user and a password (user info 'user:password')");
      }
    }

    @Override
    public String authorizationHeader() {
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Basic[user=" + user + ", password=***]";
    }
  }

  record Bearer(String token) implements RegistryCredentials {
    public Bearer {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("bearer auth needs a non-empty token");
      }
    }

    @Override
    public String authorizationHeader() {
      return "Bearer " + token;
    }

    @Override
    public String toString() {
      return "Bearer[token=***]";
    }
  }
}
