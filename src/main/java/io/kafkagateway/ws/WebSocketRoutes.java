package io.kafkagateway.ws;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.WebSocketSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The WebSocket dialects' routes, mounted on the REST API's router (the default: one port for both) or on the
 * {@code ws-stream} verticle's own when {@code websocket.addr} is set. Each dialect answers its path for the default
 * cluster and the same path under {@code /clusters/<name>} (kafka-proxy: {@code /clusters/<name>/kafka-proxy};
 * apisix: {@code /clusters/<name><apisix.path>}, {@code /clusters/<name>/kafka} by default).
 */
public final class WebSocketRoutes {

    private WebSocketRoutes() {
    }

    public static void mount(Router router, Vertx vertx, GatewayConfig config, ClusterClient clusters, WebSocketShared shared) {
        WebSocketSettings ws = config.websocket();
        if (ws.nativeDialect().enabled()) {
            NativeDialect nativeDialect = new NativeDialect(vertx, clusters, ws.nativeDialect(), shared);
            router.get(ws.nativeDialect().path()).handler(nativeDialect::handle);
            router.get("/clusters/:cluster" + ws.nativeDialect().path()).handler(nativeDialect::handle);
        }
        if (ws.kafkaProxy().enabled()) {
            KafkaProxyDialect kafkaProxy = new KafkaProxyDialect(vertx, clusters, config, shared);
            router.get(ws.kafkaProxy().path()).handler(kafkaProxy::handle);
            router.get("/clusters/:cluster/kafka-proxy").handler(kafkaProxy::handle);
        }
        if (ws.apisix().enabled()) {
            ApisixDialect apisix = new ApisixDialect(vertx, clusters, ws.apisix(), shared);
            router.get(ws.apisix().path()).handler(apisix::handle);
            router.get("/clusters/:cluster" + ws.apisix().path()).handler(apisix::handle);
        }
    }

    /**
     * Frame and message limits on a server that accepts the dialects. A message above {@code max_frame_bytes} closes
     * its socket with 1009; single frames may be larger (up to four times) so that a one-frame message gets that same
     * answer rather than the transport's abrupt close. Messages are compressed (permessage-deflate, when the client
     * offers it) only with {@code websocket.compression}; the obsolete per-frame draft is never offered.
     */
    public static HttpServerOptions limits(HttpServerOptions options, WebSocketSettings ws) {
        return options.setMaxWebSocketFrameSize(maxFrameSize(ws)).setMaxWebSocketMessageSize(ws.maxFrameBytes())
                .setPerMessageWebSocketCompressionSupported(ws.compression())
                .setPerFrameWebSocketCompressionSupported(false);
    }

    /** The largest single frame, in and out. */
    static int maxFrameSize(WebSocketSettings ws) {
        return (int) Math.min(Integer.MAX_VALUE, 4L * ws.maxFrameBytes());
    }
}
