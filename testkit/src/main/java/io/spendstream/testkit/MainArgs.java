package io.spendstream.testkit;

import java.util.HashMap;
import java.util.Map;

/** Arguments of the test mains that kill tests start as child JVMs: {@code --name value} pairs. */
public final class MainArgs {
  private MainArgs() {}

  public static Map<String, String> pairs(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("expected --name value pairs, got an odd number of arguments");
    }
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    return a;
  }
}
