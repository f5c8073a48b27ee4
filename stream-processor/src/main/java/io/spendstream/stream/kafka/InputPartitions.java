package io.spendstream.stream.kafka;

import io.spendstream.stream.ProcessorTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before the processor starts: the partition count of llm.calls.v1 (the number of shards the merge stage waits
 * for), and the rerouted-calls topic with the same count (created when missing, so a deployment needs nothing new).
 */
public final class InputPartitions {
  private InputPartitions() {}

  public static int prepare(String bootstrap, ProcessorTopics topics, int replicationFactor) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      int shards;
      try {
        shards = partitions(admin, topics.calls());
      } catch (MissingTopic e) {
        throw new IllegalStateException(topics.calls() + " does not exist on " + bootstrap
            + ": create the topics first (spendstream up does)");
      }
      try {
        int rerouted = partitions(admin, topics.rerouted());
        if (rerouted != shards) {
          throw new IllegalStateException(topics.rerouted() + " has " + rerouted + " partitions and " + topics.calls() + " "
              + shards + ": they must match (a re-keyed call must land on the partition its key chooses)");
        }
      } catch (MissingTopic e) {
        try {
          Optional<Short> rf = replicationFactor > 0 ? Optional.of((short) replicationFactor) : Optional.empty();
          admin.createTopics(List.of(new NewTopic(topics.rerouted(), Optional.of(shards), rf)))
              .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException created) {
          if (!(created.getCause() instanceof TopicExistsException)) { // another instance was first: fine
            throw created;
          }
        }
      }
      return shards;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the input topics on " + bootstrap + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the input topics", e);
    }
  }

  private static final class MissingTopic extends Exception {
    MissingTopic() {
      super(null, null, false, false);
    }
  }

  private static int partitions(Admin admin, String topic) throws ExecutionException, TimeoutException,
      InterruptedException, MissingTopic {
    try {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      return d.partitions().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new MissingTopic();
      }
      throw e;
    }
  }
}
