package io.kafkagateway.kafka;

import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.PartitionMetadata;
import io.kafkagateway.core.TopicList;
import io.kafkagateway.core.TopicMetadata;
import io.kafkagateway.core.TopicQuery;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Answers topic listings and topic metadata from the cluster's admin client. A topic's config is its own overrides
 * (what Kafka-Pixy read from ZooKeeper), not the broker defaults.
 */
final class MetadataService {

    private final Admin admin;
    private final Context context;

    MetadataService(Admin admin, Context context) {
        this.admin = admin;
        this.context = context;
    }

    Future<TopicList> listTopics(TopicQuery query) {
        return KafkaFutures.on(context, admin.listTopics(new ListTopicsOptions().listInternal(false)).names())
                .compose(names -> describe(new TreeSet<>(names), query))
                .map(TopicList::new);
    }

    Future<TopicMetadata> topic(TopicQuery query) {
        try {
            Topic.validate(query.topic());
        } catch (InvalidTopicException e) {
            return Future.failedFuture(GatewayException.invalid("invalid topic name '" + query.topic() + "': " + e.getMessage()));
        }
        return describe(List.of(query.topic()), new TopicQuery(query.topic(), true, query.withConfig()))
                .map(topics -> {
                    TopicMetadata found = topics.get(0);
                    return query.withPartitions() ? found : new TopicMetadata(found.topic(), found.config(), null);
                })
                .recover(failure -> failure instanceof UnknownTopicOrPartitionException
                        ? Future.failedFuture(GatewayException.unknownTopic(query.topic()))
                        : Future.failedFuture(failure));
    }

    private Future<List<TopicMetadata>> describe(Collection<String> names, TopicQuery query) {
        if (names.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        Future<Map<String, TopicDescription>> partitions = query.withPartitions()
                ? KafkaFutures.on(context, admin.describeTopics(names).allTopicNames())
                : Future.succeededFuture(Map.of());
        Future<Map<String, Map<String, String>>> configs = query.withConfig()
                ? topicOverrides(names)
                : Future.succeededFuture(Map.of());
        return Future.all(partitions, configs).map(all -> {
            List<TopicMetadata> out = new ArrayList<>(names.size());
            for (String name : names) {
                TopicDescription description = partitions.result().get(name);
                out.add(new TopicMetadata(name,
                        query.withConfig() ? configs.result().getOrDefault(name, Map.of()) : null,
                        query.withPartitions() && description != null ? partitions(description) : null));
            }
            return out;
        });
    }

    private Future<Map<String, Map<String, String>>> topicOverrides(Collection<String> names) {
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        return KafkaFutures.on(context, admin.describeConfigs(resources).all()).map(configs -> {
            Map<String, Map<String, String>> byTopic = new TreeMap<>();
            configs.forEach((resource, config) -> byTopic.put(resource.name(), overrides(config)));
            return byTopic;
        });
    }

    private static Map<String, String> overrides(Config config) {
        return config.entries().stream()
                .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .filter(entry -> entry.value() != null)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new));
    }

    private static List<PartitionMetadata> partitions(TopicDescription description) {
        return description.partitions().stream()
                .sorted(Comparator.comparingInt(TopicPartitionInfo::partition))
                .map(p -> new PartitionMetadata(p.partition(), p.leader() == null ? -1 : p.leader().id(),
                        ids(p.replicas()), ids(p.isr())))
                .toList();
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }
}
