package io.kafkagateway.config;

import java.net.URI;
import java.time.Duration;

/**
 * The {@code confluent} section: Confluent's REST Proxy API (v2, and the v1 content types) on a listener of its own,
 * {@code addr} (empty: off). {@code cluster} is the {@code proxies} entry it serves (the default cluster when unset);
 * {@code advertised_url}, when set, is the base of every {@code base_uri}, else it comes from the request's
 * Forwarded / X-Forwarded-* / Host headers.
 */
public record ConfluentSettings(String addr, String cluster, String advertisedUrl, Consumer consumer) {

    public static final ConfluentSettings DEFAULTS = new ConfluentSettings(null, null, null, null);

    public ConfluentSettings {
        addr = Check.address("confluent.addr", addr, "0.0.0.0:8082", true);
        cluster = cluster == null || cluster.isBlank() ? null : cluster.trim();
        advertisedUrl = advertisedUrl == null || advertisedUrl.isBlank() ? null : stripSlash(advertisedUrl.trim());
        if (advertisedUrl != null) {
            URI uri;
            try {
                uri = URI.create(advertisedUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalConfigurationException("confluent.advertised_url", "'" + advertisedUrl + "' is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalConfigurationException("confluent.advertised_url", "'" + advertisedUrl
                        + "' must be an absolute http:// or https:// URL, like https://kafka-rest.example.com");
            }
        }
        consumer = Check.orDefault(consumer, Consumer.DEFAULTS);
    }

    public boolean enabled() {
        return !addr.isEmpty();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * {@code confluent.consumer}: an instance idle for {@code instance_timeout} is closed (Confluent's
     * consumer.instance.timeout.ms); GET records waits at most {@code request_timeout}; at most {@code max_instances}
     * instances live at once on this gateway; {@code max_bytes} caps a records answer.
     */
    public record Consumer(Duration instanceTimeout, Duration requestTimeout, Integer maxInstances, ByteSize maxBytes) {

        public static final Consumer DEFAULTS = new Consumer(null, null, null, null);

        public Consumer {
            instanceTimeout = Check.positive("confluent.consumer.instance_timeout", instanceTimeout, Duration.ofMinutes(5));
            requestTimeout = Check.positive("confluent.consumer.request_timeout", requestTimeout, Duration.ofSeconds(1));
            maxInstances = Check.atLeast("confluent.consumer.max_instances", maxInstances, 1, 1000);
            maxBytes = maxBytes == null ? new ByteSize(64L << 20) : maxBytes;
            if (maxBytes.bytes() < 1024 || maxBytes.bytes() > Integer.MAX_VALUE) {
                throw new IllegalConfigurationException("confluent.consumer.max_bytes",
                        "must be 1KiB to 2GiB, got " + maxBytes.bytes() + " bytes");
            }
        }
    }
}
