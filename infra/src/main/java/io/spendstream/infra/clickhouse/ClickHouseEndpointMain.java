package io.spendstream.infra.clickhouse;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the ClickHouse endpoint process: {@code --port N --data-dir DIR --libchdb FILE}; the
 * on-call user's password comes from {@code SPENDSTREAM_CH_ONCALL_PASSWORD} (default "oncall"), the
 * admin password from {@code SPENDSTREAM_CH_PASSWORD} (default empty). Stops cleanly on SIGTERM.
 */
public final class ClickHouseEndpointMain {
  private ClickHouseEndpointMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = EndpointConfig.DEFAULT_PORT;
    Path dataDir = null;
    Path lib = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--libchdb" -> lib = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (expected --port N --data-dir DIR --libchdb FILE)");
      }
    }
    EndpointConfig c = EndpointConfig.local(port, dataDir, lib == null ? ChdbDistribution.library() : lib);
    String admin = System.getenv("SPENDSTREAM_CH_PASSWORD");
    String oncall = System.getenv("SPENDSTREAM_CH_ONCALL_PASSWORD");
    c = new EndpointConfig(c.port(), c.dataDir(), c.libchdb(), c.adminUser(), admin == null ? "" : admin,
        c.readOnlyUser(), oncall == null ? c.readOnlyPassword() : oncall, c.readOnlyLimits(), c.threads());
    ClickHouseEndpointServer server = ClickHouseEndpointServer.start(c);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "clickhouse-endpoint-stop"));
    System.out.println("ClickHouse endpoint ready on http://127.0.0.1:" + server.port());
    stopped.await();
  }
}
