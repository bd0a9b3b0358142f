package io.kafkagateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.PartitionMetadata;
import io.kafkagateway.core.TopicMetadata;
import io.vertx.core.Future;
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
        RequestParams params = params(ctx);
        if (params == null) {
            return;
        }
        boolean withPartitions = params.has("withPartitions");
        boolean withConfig = params.has("withConfig");
        respond(ctx, clusters.listTopics(ctx.pathParam("cluster"), withPartitions, withConfig).map(list -> {
            if (!withPartitions && !withConfig) {
                return list.topics().stream().map(TopicMetadata::topic).toList();
            }
            Map<String, TopicView> views = new LinkedHashMap<>();
            list.topics().forEach(topic -> views.put(topic.topic(), TopicView.of(topic)));
            return views;
        }));
    }

    void one(RoutingContext ctx) {
        RequestParams params = params(ctx);
        if (params == null) {
            return;
        }
        boolean withPartitions = params.has("withPartitions");
        respond(ctx, clusters.topic(ctx.pathParam("cluster"), ctx.pathParam("topic"), withPartitions, true)
                .map(TopicView::of));
    }

    /** The request's parameters, or null once a 400 has been sent for malformed ones. */
    private static RequestParams params(RoutingContext ctx) {
        try {
            return RequestParams.of(ctx);
        } catch (GatewayException e) {
            HttpErrors.render(ctx, e);
            return null;
        }
    }

    private static void respond(RoutingContext ctx, Future<?> body) {
        body.onComplete(done -> {
            if (done.succeeded()) {
                HttpErrors.send(ctx, 200, done.result());
            } else {
                HttpErrors.render(ctx, done.cause());
            }
        });
    }
}
