package io.kafkagateway.config;

import java.time.Duration;

/**
 * Apache APISIX's pub-sub WebSocket dialect (protobuf frames, client-kept offsets) on {@code path} for the default
 * cluster and {@code /clusters/<name><path>} for each cluster. A fetch returns at most {@code max_fetch_bytes} and
 * waits at most {@code fetch_wait} for records; any command gets its answer (an error at worst) within
 * {@code timeout}, even when the brokers do not answer.
 */
public record ApisixDialectSettings(Boolean enabled, String path, Integer maxFetchBytes, Duration fetchWait, Duration timeout) {

    public static final ApisixDialectSettings DEFAULTS = new ApisixDialectSettings(null, null, null, null, null);

    public ApisixDialectSettings {
        enabled = Check.orDefault(enabled, true);
        path = Check.path("path", path, "/kafka");
        maxFetchBytes = Check.atLeast("max_fetch_bytes", maxFetchBytes, 1, 1_048_576);
        fetchWait = Check.notNegative("fetch_wait", fetchWait, Duration.ofSeconds(1));
        timeout = Check.positive("timeout", timeout, Duration.ofSeconds(5));
        if (fetchWait.compareTo(timeout) >= 0) {
            // An empty fetch would otherwise be answered as a timeout.
            throw new IllegalConfigurationException("fetch_wait", "must be shorter than timeout (" + GoDuration.format(timeout)
                    + "), got " + GoDuration.format(fetchWait));
        }
    }
}
