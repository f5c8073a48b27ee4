package io.spendstream.ingest.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys file, re-read when it changes (checked every few seconds): key rotation needs no restart.
 * A broken edit is logged and ignored, so the gateway keeps serving with the last good keys.
 */
public final class ReloadingTenantKeys implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReloadingTenantKeys.class);
  private final Path file;
  private final ScheduledExecutorService timer;
  private volatile TenantKeys current;
  private volatile FileTime loadedVersion;

  public ReloadingTenantKeys(Path file, Duration checkEvery) {
    this.file = file;
    this.current = TenantKeys.load(file);
    this.loadedVersion = modified();
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("keys-reload").factory());
    timer.scheduleWithFixedDelay(this::reloadIfChanged, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    log.info("component=gateway event=keys_loaded file={} keys={}", file, current.size());
  }

  public Optional<TenantKeys.Tenant> authenticate(String key) {
    return current.authenticate(key);
  }

  void reloadIfChanged() {
    FileTime now = modified();
    if (now == null || now.equals(loadedVersion)) {
      return;
    }
    try {
      current = TenantKeys.load(file);
      loadedVersion = now;
      log.info("component=gateway event=keys_reloaded file={} keys={}", file, current.size());
    } catch (RuntimeException e) {
      loadedVersion = now; // do not retry the same broken version every tick
      log.error("component=gateway event=keys_reload_failed file={} keeping=previous_keys cause=\"{}\"", file,
          e.getMessage().replace('\n', ' '));
    }
  }

  private FileTime modified() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
