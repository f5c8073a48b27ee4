package io.spendstream.infra.clickhouse;

import io.spendstream.infra.CacheDir;
import io.spendstream.infra.InfraVersions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put libchdb.so (npm package @chdb/lib-linux-x64-gnu, pinned version). */
public final class ChdbDistribution {
  private ChdbDistribution() {}

  public static Path library() {
    Path so = CacheDir.resolve().resolve("chdb-" + InfraVersions.chdb()).resolve("libchdb.so");
    if (!Files.isRegularFile(so)) {
      throw new IllegalStateException("libchdb.so (chDB " + InfraVersions.chdb() + ") is not at " + so
          + ". Build the infra module first: mvn -pl infra -am package (./spendstream does this for you; it needs npm).");
    }
    return so;
  }
}
