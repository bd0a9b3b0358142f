package io.kafkagateway.ws;

import io.kafkagateway.config.WebSocketSettings;
import io.kafkagateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every verticle instance serving WebSockets shares: the connection budget, which kafka-proxy socket holds each
 * (cluster, group, topic), and the open sockets, so that a stopping gateway can tell them to go. Created once per
 * gateway.
 */
public final class WebSocketShared {

    /** An open socket, the event loop it lives on, and whether its session has let go after closing. */
    record Live(Context context, ServerWebSocket socket, Promise<Void> finished) {
    }

    final ConnectionBudget budget;
    final KafkaProxyOwners kafkaProxyOwners = new KafkaProxyOwners();
    final TextFrames textFrames;
    private final Set<Live> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    private final GatewayMetrics metrics;

    public WebSocketShared(WebSocketSettings settings, GatewayMetrics metrics) {
        this.budget = new ConnectionBudget(settings.maxConnections());
        this.textFrames = new TextFrames(WebSocketRoutes.maxFrameSize(settings));
        this.metrics = metrics;
        metrics.webSocketConnections(budget::open);
    }

    /** Counts the messages a dialect hands to its sockets. */
    Counter sent(String dialect) {
        return metrics.webSocketMessagesSent(dialect);
    }

    boolean draining() {
        return draining;
    }

    Live opened(Context context, ServerWebSocket socket) {
        Live live = new Live(context, socket, Promise.promise());
        open.add(live);
        return live;
    }

    void finished(Live live) {
        open.remove(live);
        live.finished().tryComplete();
    }

    /**
     * Refuses new sockets (503) and closes the open ones with 1001 (going away), so clients reconnect elsewhere; the
     * future completes once every session has let go (kafka-proxy positions committed, unacknowledged messages
     * offered again).
     */
    public Future<Void> drain() {
        draining = true;
        List<Live> sockets = List.copyOf(open);
        sockets.forEach(live -> live.context().runOnContext(v ->
                WsErrors.close(live.socket(), (short) 1001, "the gateway is shutting down")));
        return Future.join(sockets.stream().map(live -> live.finished().future()).toList()).mapEmpty();
    }
}
