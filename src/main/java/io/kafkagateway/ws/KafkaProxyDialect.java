package io.kafkagateway.ws;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.KafkaProxyDialectSettings;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The kafka-proxy dialect's handshake: {@code ?topic=T&consumerGroup=G[&offset=N][&partition=P]}, the shared secret
 * when one is configured ({@code Authorization: basic <secret>}, either case), then a {@link KafkaProxySession}.
 */
final class KafkaProxyDialect {

    static final String NAME = "kafka-proxy";

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final GatewayConfig config;
    private final KafkaProxyDialectSettings settings;
    private final WebSocketShared shared;

    KafkaProxyDialect(Vertx vertx, ClusterClient clusters, GatewayConfig config, WebSocketShared shared) {
        this.vertx = vertx;
        this.clusters = clusters;
        this.config = config;
        this.settings = config.websocket().kafkaProxy();
        this.shared = shared;
    }

    void handle(RoutingContext ctx) {
        if (!Upgrades.requireUpgrade(ctx, NAME)) {
            return;
        }
        if (settings.auth() != null && !authorized(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            WsErrors.refuse(ctx, 401, "this socket needs the header Authorization: basic <secret>");
            return;
        }
        KafkaProxySession.Params params;
        try {
            params = params(ctx);
        } catch (GatewayException e) {
            WsErrors.refuse(ctx, e);
            return;
        }
        ClusterConfig cluster = config.cluster(params.cluster());
        Upgrades.accept(ctx, shared, socket -> new KafkaProxySession(vertx, clusters, settings,
                cluster.consumer().initialOffset(), cluster.net().readTimeout(), shared.kafkaProxyOwners, shared.sent(NAME),
                shared.textFrames, params, socket));
    }

    private boolean authorized(String header) {
        if (header == null || header.length() < 6 || !header.substring(0, 6).equalsIgnoreCase("basic ")) {
            return false;
        }
        byte[] given = header.substring(6).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, settings.auth().getBytes(StandardCharsets.UTF_8));
    }

    private KafkaProxySession.Params params(RoutingContext ctx) {
        String pathCluster = ctx.pathParam("cluster");
        String cluster = clusters.resolve(pathCluster != null ? pathCluster : settings.cluster());
        String topic = Upgrades.param(ctx, "topic", null);
        if (topic == null || topic.isEmpty()) {
            throw GatewayException.invalid("parameter topic is required: ?topic=<topic>&consumerGroup=<group>");
        }
        Topics.validate(topic);
        String group = Upgrades.param(ctx, "consumerGroup", null);
        if (group == null) {
            group = "default";
        } else if (group.isEmpty()) {
            throw GatewayException.invalid("parameter consumerGroup must not be empty (leave it out for group 'default')");
        }
        int partition = (int) number(ctx, "partition", settings.partition(), Integer.MAX_VALUE);
        long offset = number(ctx, "offset", -1, Long.MAX_VALUE);
        return new KafkaProxySession.Params(cluster, topic, group, partition, offset);
    }

    private static long number(RoutingContext ctx, String name, long absent, long max) {
        String value = Upgrades.param(ctx, name, null);
        if (value == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw GatewayException.invalid("parameter " + name + " must be a whole number from 0 to " + max + ", got '" + value + "'");
        }
    }
}
