package io.kafkagateway.config;

import java.time.Duration;

/**
 * The kafka-proxy (npm) WebSocket dialect on {@code path} for {@code cluster} (default: the default cluster), and on
 * {@code /clusters/<name>/kafka-proxy}: consume-only JSON batches of one partition with server-kept positions. Its
 * options keep their original meaning: {@code idle_timeout} between fetches that found nothing, {@code max_bytes} per
 * batch, the default {@code partition}, and the shared secret {@code auth} (unset: no authentication).
 */
public record KafkaProxyDialectSettings(Boolean enabled, String path, String cluster, Duration idleTimeout,
                                        Integer maxBytes, Integer partition, String auth) {

    public static final KafkaProxyDialectSettings DEFAULTS = new KafkaProxyDialectSettings(null, null, null, null, null, null, null);

    public KafkaProxyDialectSettings {
        enabled = Check.orDefault(enabled, true);
        path = Check.path("path", path, "/");
        cluster = cluster == null || cluster.isBlank() ? null : cluster;
        idleTimeout = Check.positive("idle_timeout", idleTimeout, Duration.ofSeconds(1));
        maxBytes = Check.atLeast("max_bytes", maxBytes, 1, 500_000);
        partition = Check.atLeast("partition", partition, 0, 0);
        auth = auth == null || auth.isEmpty() ? null : auth;
    }

    @Override
    public String toString() {
        return "KafkaProxyDialectSettings[enabled=" + enabled + ", path=" + path + ", cluster=" + cluster
                + ", idleTimeout=" + idleTimeout + ", maxBytes=" + maxBytes + ", partition=" + partition
                + ", auth=" + (auth == null ? "none" : "***") + "]";
    }
}
