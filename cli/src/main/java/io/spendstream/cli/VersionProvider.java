package io.spendstream.cli;

import picocli.CommandLine;

/** Version from the jar manifest, so --version says which build is running. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = SpendstreamCli.class.getPackage().getImplementationVersion();
    return new String[] {"spendstream " + (v == null ? "(development build)" : v),
        "JVM " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
  }
}
