package io.kafkagateway.ws;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.ApisixDialectSettings;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The APISIX pub-sub dialect's handshake: a WebSocket upgrade on the dialect's path, for the default cluster or the
 * one named by {@code /clusters/<name>} (an unknown name is refused with 400), then an {@link ApisixSession}. The
 * handshake takes no parameters: topics, partitions and offsets come with each command.
 */
final class ApisixDialect {

    static final String NAME = "apisix";

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final ApisixDialectSettings settings;
    private final WebSocketShared shared;

    ApisixDialect(Vertx vertx, ClusterClient clusters, ApisixDialectSettings settings, WebSocketShared shared) {
        this.vertx = vertx;
        this.clusters = clusters;
        this.settings = settings;
        this.shared = shared;
    }

    void handle(RoutingContext ctx) {
        if (!Upgrades.requireUpgrade(ctx, NAME)) {
            return;
        }
        String cluster;
        try {
            cluster = clusters.resolve(ctx.pathParam("cluster"));
        } catch (GatewayException e) {
            WsErrors.refuse(ctx, e);
            return;
        }
        Upgrades.accept(ctx, shared, socket -> new ApisixSession(vertx, clusters, cluster, settings,
                shared.sent(NAME), socket));
    }
}
