package io.kafkagateway.ws;

import io.kafkagateway.config.WebSocketSettings;

/**
 * What every verticle instance serving WebSockets shares: the connection budget, and which kafka-proxy socket holds
 * each (cluster, group, topic). Created once per gateway.
 */
public final class WebSocketShared {

    final ConnectionBudget budget;
    final KafkaProxyOwners kafkaProxyOwners = new KafkaProxyOwners();

    public WebSocketShared(WebSocketSettings settings) {
        this.budget = new ConnectionBudget(settings.maxConnections());
    }

    public ConnectionBudget budget() {
        return budget;
    }
}
