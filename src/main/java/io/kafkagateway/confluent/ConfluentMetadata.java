package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ListOffsetRequest;
import io.kafkagateway.core.PartitionMetadata;
import io.kafkagateway.core.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/** Confluent's metadata endpoints: topics, their partitions and offsets, brokers. */
final class ConfluentMetadata {

    private static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterClient clusters;
    private final String cluster;

    ConfluentMetadata(ClusterClient clusters, String cluster) {
        this.clusters = clusters;
        this.cluster = cluster;
    }

    void topics(RoutingContext ctx) {
        if (ConfluentApi.acceptsJson(ctx)) {
            ConfluentApi.then(ctx, clusters.listTopics(cluster, false, false), list -> {
                ArrayNode names = ConfluentErrors.MAPPER.createArrayNode();
                list.topics().forEach(t -> names.add(t.topic()));
                ConfluentApi.answer(ctx, 200, names);
            });
        }
    }

    void topic(RoutingContext ctx) {
        if (ConfluentApi.acceptsJson(ctx)) {
            ConfluentApi.then(ctx, describe(ctx.pathParam("topic"), true), t -> {
                ObjectNode body = ConfluentErrors.MAPPER.createObjectNode().put("name", t.topic());
                ObjectNode configs = body.putObject("configs");
                t.config().forEach(configs::put);
                ArrayNode partitions = body.putArray("partitions");
                t.partitions().forEach(p -> partitions.add(partition(p)));
                ConfluentApi.answer(ctx, 200, body);
            });
        }
    }

    void partitions(RoutingContext ctx) {
        if (ConfluentApi.acceptsJson(ctx)) {
            ConfluentApi.then(ctx, describe(ctx.pathParam("topic"), false), t -> {
                ArrayNode partitions = ConfluentErrors.MAPPER.createArrayNode();
                t.partitions().forEach(p -> partitions.add(partition(p)));
                ConfluentApi.answer(ctx, 200, partitions);
            });
        }
    }

    void partition(RoutingContext ctx) {
        Integer partition = ConfluentApi.partitionParam(ctx);
        if (partition != null && ConfluentApi.acceptsJson(ctx)) {
            ConfluentApi.then(ctx, existing(ctx.pathParam("topic"), partition), p -> ConfluentApi.answer(ctx, 200, partition(p)));
        }
    }

    void offsets(RoutingContext ctx) {
        Integer partition = ConfluentApi.partitionParam(ctx);
        if (partition == null || !ConfluentApi.acceptsJson(ctx)) {
            return;
        }
        String topic = ctx.pathParam("topic");
        Future<Long> beginning = existing(topic, partition).compose(p -> clusters.listOffset(cluster,
                new ListOffsetRequest(topic, partition, ListOffsetRequest.EARLIEST, OFFSETS_TIMEOUT)));
        Future<Long> end = beginning.compose(b -> clusters.listOffset(cluster,
                new ListOffsetRequest(topic, partition, ListOffsetRequest.LATEST, OFFSETS_TIMEOUT)));
        ConfluentApi.then(ctx, end, e -> ConfluentApi.answer(ctx, 200, ConfluentErrors.MAPPER.createObjectNode()
                .put("beginning_offset", beginning.result()).put("end_offset", e)));
    }

    void brokers(RoutingContext ctx) {
        if (ConfluentApi.acceptsJson(ctx)) {
            ConfluentApi.then(ctx, clusters.brokers(cluster), list -> {
                ObjectNode body = ConfluentErrors.MAPPER.createObjectNode();
                ArrayNode ids = body.putArray("brokers");
                list.ids().forEach(ids::add);
                ConfluentApi.answer(ctx, 200, body);
            });
        }
    }

    /** The topic's metadata; fails UNKNOWN_TOPIC_OR_PARTITION ("Topic not found.") when it does not exist. */
    Future<TopicMetadata> describe(String topic, boolean withConfig) {
        return clusters.topic(cluster, topic, true, withConfig).recover(failure -> {
            GatewayException e = GatewayException.from(failure);
            return Future.failedFuture(e.code() == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || e.code() == ErrorCode.INVALID_REQUEST
                    ? new GatewayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Topic not found.") : e);
        });
    }

    /** The partition's metadata; fails UNKNOWN_PARTITION ("Partition not found.") when the topic has no such one. */
    Future<PartitionMetadata> existing(String topic, int partition) {
        return describe(topic, false).compose(t -> t.partitions().stream().filter(p -> p.partition() == partition)
                .findFirst().map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new GatewayException(ErrorCode.UNKNOWN_PARTITION, "Partition not found."))));
    }

    private static ObjectNode partition(PartitionMetadata p) {
        ObjectNode node = ConfluentErrors.MAPPER.createObjectNode().put("partition", p.partition()).put("leader", p.leader());
        ArrayNode replicas = node.putArray("replicas");
        for (int broker : p.replicas()) {
            replicas.addObject().put("broker", broker).put("leader", broker == p.leader()).put("in_sync", p.isr().contains(broker));
        }
        return node;
    }
}
