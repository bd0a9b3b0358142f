package io.kafkagateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.PartitionMetadata;
import io.kafkagateway.core.TopicMetadata;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET [/clusters/{cluster}]/topics} and {@code GET [/clusters/{cluster}]/topics/{topic}} in Kafka-Pixy's
 * shapes: a sorted name list without flags, else a map of topic to {@code {"config"?, "partitions"?}}.
 */
final class TopicsHandler {

    /** Kafka-Pixy's topic config object: the version of ZooKeeper's config format, always 1, and the overrides. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConfigView(int version, Map<String, String> config) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TopicView(ConfigView config, List<PartitionMetadata> partitions) {

        static TopicView of(TopicMetadata topic) {
            return new TopicView(topic.config() == null ? null : new ConfigView(1, topic.config()), topic.partitions());
        }
    }

    private final ClusterClient clusters;

    TopicsHandler(ClusterClient clusters) {
        this.clusters = clusters;
    }

    void list(RoutingContext ctx) {
        Responses.json(ctx, () -> {
            RequestParams params = RequestParams.of(ctx);
            boolean withPartitions = params.has("withPartitions");
            boolean withConfig = params.has("withConfig");
            return clusters.listTopics(ctx.pathParam("cluster"), withPartitions, withConfig).map(list -> {
                if (!withPartitions && !withConfig) {
                    return list.topics().stream().map(TopicMetadata::topic).toList();
                }
                Map<String, TopicView> views = new LinkedHashMap<>();
                list.topics().forEach(topic -> views.put(topic.topic(), TopicView.of(topic)));
                return views;
            });
        });
    }

    void one(RoutingContext ctx) {
        Responses.json(ctx, () -> {
            boolean withPartitions = RequestParams.of(ctx).has("withPartitions");
            return clusters.topic(ctx.pathParam("cluster"), ctx.pathParam("topic"), withPartitions, true).map(TopicView::of);
        });
    }
}
