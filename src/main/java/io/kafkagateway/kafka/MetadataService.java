package io.kafkagateway.kafka;

import io.kafkagateway.core.BrokerList;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.PartitionMetadata;
import io.kafkagateway.core.TopicList;
import io.kafkagateway.core.TopicMetadata;
import io.kafkagateway.core.TopicQuery;
import io.kafkagateway.core.Topics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

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

    /** Metadata questions answered at once per cluster; each may describe every topic, so more wait their turn: 429. */
    static final int MAX_CONCURRENT_QUERIES = 32;

    private final String cluster;
    private final Admin admin;
    private final Context context;
    private int running;

    MetadataService(String cluster, Admin admin, Context context) {
        this.cluster = cluster;
        this.admin = admin;
        this.context = context;
    }

    Future<TopicList> listTopics(TopicQuery query) {
        return bounded(() -> KafkaFutures.on(context, admin.listTopics(new ListTopicsOptions().listInternal(false)).names())
                .compose(names -> describe(new TreeSet<>(names), query, true))
                .map(TopicList::new));
    }

    Future<BrokerList> brokers() {
        return bounded(() -> KafkaFutures.on(context, admin.describeCluster().nodes())
                .map(nodes -> new BrokerList(nodes.stream().map(org.apache.kafka.common.Node::id).sorted().toList())));
    }

    Future<TopicMetadata> topic(TopicQuery query) {
        try {
            Topics.validate(query.topic());
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return bounded(() -> describeOne(query));
    }

    private <T> Future<T> bounded(java.util.function.Supplier<Future<T>> call) {
        if (running >= MAX_CONCURRENT_QUERIES) {
            return Future.failedFuture(GatewayException.throttled("cluster '" + cluster + "' is already answering "
                    + running + " metadata requests; retry shortly"));
        }
        running++;
        return call.get().onComplete(done -> running--);
    }

    private Future<TopicMetadata> describeOne(TopicQuery query) {
        return describe(List.of(query.topic()), new TopicQuery(query.topic(), true, query.withConfig()), false)
                .map(topics -> {
                    TopicMetadata found = topics.get(0);
                    return query.withPartitions() ? found : new TopicMetadata(found.topic(), found.config(), null);
                })
                .recover(failure -> failure instanceof UnknownTopicOrPartitionException
                        ? Future.failedFuture(GatewayException.unknownTopic(query.topic()))
                        : Future.failedFuture(failure));
    }

    /**
     * Describes {@code names} with one batched request per kind of detail. In a listing ({@code skipMissing}) a topic
     * deleted since it was listed is left out instead of failing the whole answer.
     */
    private Future<List<TopicMetadata>> describe(Collection<String> names, TopicQuery query, boolean skipMissing) {
        if (names.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        Map<String, KafkaFuture<TopicDescription>> partitions = query.withPartitions()
                ? admin.describeTopics(names).topicNameValues() : Map.of();
        Map<ConfigResource, KafkaFuture<Config>> configs = query.withConfig()
                ? admin.describeConfigs(names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).values()
                : Map.of();
        List<Future<TopicMetadata>> each = new ArrayList<>(names.size());
        for (String name : names) {
            Future<TopicDescription> description = query.withPartitions()
                    ? KafkaFutures.on(context, partitions.get(name)) : Future.succeededFuture();
            Future<Config> config = query.withConfig()
                    ? KafkaFutures.on(context, configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))) : Future.succeededFuture();
            Future<TopicMetadata> topic = Future.all(description, config).map(both -> new TopicMetadata(name,
                    query.withConfig() ? overrides(config.result()) : null,
                    query.withPartitions() ? partitions(description.result()) : null));
            each.add(skipMissing ? topic.recover(failure -> failure instanceof UnknownTopicOrPartitionException
                    ? Future.succeededFuture() : Future.failedFuture(failure)) : topic);
        }
        return Future.all(each).map(all -> each.stream().map(Future::result).filter(java.util.Objects::nonNull).toList());
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
