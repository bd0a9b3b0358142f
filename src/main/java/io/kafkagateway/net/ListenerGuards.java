package io.kafkagateway.net;

import io.kafkagateway.config.ConnectionSettings;
import io.kafkagateway.metrics.GatewayMetrics;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What every API listener does with a new connection ({@code connections.*}): counts it against the listener's
 * bound, bounds the phases of its HTTP/1.x requests ({@link RequestTimeouts}), and logs what goes wrong on it at debug
 * level without stack traces (a client's bad framing or hang-up is the client's, not the gateway's, fault). One per
 * gateway, shared by the verticle instances of each listener.
 */
public final class ListenerGuards {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerGuards.class);

    private final ConnectionSettings settings;
    private final GatewayMetrics metrics;
    private final ConcurrentHashMap<String, ConnectionLimit> limits = new ConcurrentHashMap<>();

    public ListenerGuards(ConnectionSettings settings, GatewayMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** For {@code HttpServer.connectionHandler} of {@code listener}; false when the connection was refused. */
    public boolean accept(String listener, HttpConnection connection) {
        if (!limit(listener).admit(connection)) {
            return false;
        }
        connection.exceptionHandler(failure -> LOG.atDebug().addKeyValue("listener", listener)
                .addKeyValue("remote", String.valueOf(connection.remoteAddress())).addKeyValue("error", failure.toString())
                .log("connection failed"));
        if (connection instanceof ConnectionBase base) {
            RequestTimeouts.install(settings, base.channel(), () -> metrics.requestTimeouts(listener).increment());
        }
        return true;
    }

    private ConnectionLimit limit(String listener) {
        return limits.computeIfAbsent(listener, name -> {
            ConnectionLimit limit = new ConnectionLimit(name, settings.maxPerListener(),
                    () -> metrics.connectionsRefused(name).increment());
            metrics.connectionsOpen(name, limit::open);
            return limit;
        });
    }
}
