package io.kafkagateway.ws;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.NativeDialectSettings;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;


/**
 * The native dialect's handshake: {@code [?format=json|binary][&encoding=base64|text]} on the dialect's path (default
 * cluster) or under {@code /clusters/<name>}, then a {@link NativeSession}.
 */
final class NativeDialect {

    static final String NAME = "native";

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final NativeDialectSettings settings;
    private final WebSocketShared shared;

    NativeDialect(Vertx vertx, ClusterClient clusters, NativeDialectSettings settings, WebSocketShared shared) {
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
        NativeCodec codec;
        try {
            cluster = clusters.resolve(ctx.pathParam("cluster"));
            codec = codec(ctx);
        } catch (GatewayException e) {
            WsErrors.refuse(ctx, e);
            return;
        }
        Upgrades.accept(ctx, shared, socket -> new NativeSession(vertx, clusters, cluster, codec, settings.maxCredits(),
                shared.sent(NAME), shared.textFrames, socket));
    }

    private static NativeCodec codec(RoutingContext ctx) {
        String format = Upgrades.param(ctx, "format", "json");
        String encoding = Upgrades.param(ctx, "encoding", null);
        switch (format) {
            case "json" -> {
                if (encoding == null || encoding.equals("base64")) {
                    return new JsonNativeCodec(PayloadEncoding.BASE64);
                }
                if (encoding.equals("text")) {
                    return new JsonNativeCodec(PayloadEncoding.TEXT);
                }
                throw GatewayException.invalid("parameter encoding must be base64 or text, got '" + encoding + "'");
            }
            case "binary" -> {
                if (encoding != null) {
                    throw GatewayException.invalid("parameter encoding applies to format=json only");
                }
                return new ProtoNativeCodec();
            }
            default -> throw GatewayException.invalid("parameter format must be json or binary, got '" + format + "'");
        }
    }
}
