package io.kafkagateway.config;

import java.time.Duration;

/**
 * Bounds on the connections of every API listener: at most {@code max_per_listener} open at once (more are answered
 * 503 and closed); a keep-alive connection without a request for {@code idle_timeout} is closed; a request whose line
 * and headers take longer than {@code header_timeout}, or whose body pauses longer than {@code body_timeout}, is
 * answered 408 and its connection closed. A request read in full (a long poll, say) is not bounded by these.
 */
public record ConnectionSettings(Integer maxPerListener, Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout) {

    public static final ConnectionSettings DEFAULTS = new ConnectionSettings(null, null, null, null);

    public ConnectionSettings {
        maxPerListener = Check.atLeast("connections.max_per_listener", maxPerListener, 1, 20_000);
        idleTimeout = Check.positive("connections.idle_timeout", idleTimeout, Duration.ofSeconds(60));
        headerTimeout = Check.positive("connections.header_timeout", headerTimeout, Duration.ofSeconds(10));
        bodyTimeout = Check.positive("connections.body_timeout", bodyTimeout, Duration.ofSeconds(10));
    }
}
