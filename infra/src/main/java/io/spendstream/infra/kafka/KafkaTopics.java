package io.spendstream.infra.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates missing topics (replication factor 1: one local broker); existing ones are left as they are. */
public final class KafkaTopics {
  private KafkaTopics() {}

  /** Returns the names it created. */
  public static List<String> ensure(String bootstrap, List<TopicSpec> specs) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec s : specs) {
        if (!existing.contains(s.name())) {
          missing.add(new NewTopic(s.name(), s.partitions(), (short) 1).configs(Map.of(
              TopicConfig.RETENTION_MS_CONFIG, String.valueOf(s.retention().toMillis()),
              TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1")));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
      return missing.stream().map(NewTopic::name).toList();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create topics on " + bootstrap + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
