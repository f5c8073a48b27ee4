package io.spendstream.tools.demo;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import io.spendstream.alerting.tail.AlertFilter;
import io.spendstream.alerting.tail.AlertTail;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Where the live view's numbers come from: consumer-group lag (Kafka admin), spend (ClickHouse), alerts (alerts.v1). */
public final class LiveData implements AutoCloseable {
  private final Admin admin;
  private final Client clickhouse;
  private final String database;
  /** The newest alert of each type, oldest first: a burst of one kind (the history's) cannot scroll another away. */
  private final Map<AlertType, Alert> latestByType = new LinkedHashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread tail;

  public LiveData(String bootstrap, String registry, String clickhouseUrl, String adminPassword, String database) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    this.clickhouse = new Client.Builder().addEndpoint(clickhouseUrl).setUsername("default").setPassword(adminPassword).build();
    this.database = database;
    this.tail = Thread.ofVirtual().name("demo-alerts").start(() -> {
      while (!stop.get()) {
        try {
          new AlertTail(bootstrap, registry, Topics.ALERTS).run(AlertFilter.all(), false, 0, this::add, note -> { }, following -> { }, stop::get);
        } catch (RuntimeException e) {
          sleep();
        }
      }
    });
  }

  private synchronized void add(Alert a) {
    latestByType.remove(a.getType());
    latestByType.put(a.getType(), a);
  }

  /** The newest alert of each type, newest first, at most {@code max}. */
  public synchronized List<Alert> latestAlerts(int max) {
    List<Alert> newestFirst = new ArrayList<>(latestByType.values()).reversed();
    return newestFirst.subList(0, Math.min(max, newestFirst.size()));
  }

  /** Records the group has not processed yet on the given topic; -1 when Kafka does not answer. */
  public long lag(String group, String topic) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(5, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> want = new HashMap<>();
      admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
          .forEach(p -> want.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      long lag = 0;
      for (var e : admin.listOffsets(want).all().get(5, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
      }
      return lag;
    } catch (Exception e) {
      return -1;
    }
  }

  /** Cost per tenant of calls in the last 60 s of event time; null when ClickHouse does not answer. */
  public Map<String, Long> spendLastMinute() {
    try {
      Map<String, Long> out = new LinkedHashMap<>();
      for (GenericRecord r : clickhouse.queryAll("SELECT tenant_id, sum(toInt128(cost_nanos)) AS c FROM " + database + ".llm_calls"
          + " WHERE ts >= now64(3) - INTERVAL 60 SECOND GROUP BY tenant_id ORDER BY c DESC")) {
        out.put(r.getString(1), io.spendstream.pricing.Money.exactNanos(r.getBigInteger(2)));
      }
      return out;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop.set(true);
    try {
      tail.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(2));
    clickhouse.close();
  }
}
