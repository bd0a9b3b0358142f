package io.kafkagateway.ws;

import io.kafkagateway.config.WebSocketSettings;
import io.kafkagateway.metrics.GatewayMetrics;
import io.kafkagateway.stream.OpenSessions;
import io.micrometer.core.instrument.Counter;

/**
 * What every verticle instance serving WebSockets shares: the connection budget, which kafka-proxy socket holds each
 * (cluster, group, topic, partition), and the gateway's open sessions, so that a stopping gateway can wind them down.
 * Created once per gateway.
 */
public final class WebSocketShared {

    final ConnectionBudget budget;
    final KafkaProxyOwners kafkaProxyOwners = new KafkaProxyOwners();
    final TextFrames textFrames;
    final OpenSessions sessions;
    private final GatewayMetrics metrics;

    public WebSocketShared(WebSocketSettings settings, GatewayMetrics metrics, OpenSessions sessions) {
        this.budget = new ConnectionBudget(settings.maxConnections());
        this.textFrames = new TextFrames(WebSocketRoutes.maxFrameSize(settings));
        this.metrics = metrics;
        this.sessions = sessions;
        metrics.webSocketConnections(budget::open);
    }

    /** Counts the messages a dialect hands to its sockets. */
    Counter sent(String dialect) {
        return metrics.webSocketMessagesSent(dialect);
    }

    boolean draining() {
        return sessions.draining();
    }
}
