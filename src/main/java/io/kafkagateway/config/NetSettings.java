package io.kafkagateway.config;

import java.time.Duration;

/**
 * Network settings towards the cluster. {@code dial_timeout} bounds connection set-up and how long start-up waits for
 * the brokers; {@code read_timeout} is the Kafka request timeout of the admin and consumer clients. Kafka's clients
 * have no separate write timeout: {@code write_timeout} is accepted and only validated.
 */
public record NetSettings(Duration dialTimeout, Duration readTimeout, Duration writeTimeout, SaslSettings sasl) {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public static final NetSettings DEFAULTS = new NetSettings(null, null, null, null);

    public NetSettings {
        dialTimeout = Check.positive("dial_timeout", dialTimeout, DEFAULT_TIMEOUT);
        readTimeout = Check.positive("read_timeout", readTimeout, DEFAULT_TIMEOUT);
        writeTimeout = Check.positive("write_timeout", writeTimeout, DEFAULT_TIMEOUT);
        sasl = Check.orDefault(sasl, SaslSettings.DEFAULTS);
    }
}
