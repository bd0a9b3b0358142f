package io.kafkagateway.kafka;

import io.kafkagateway.core.GatewayException;
import io.kafkagateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every async produce Kafka refused, and logs them at most once a second per cluster with the number left
 * out, so a broker outage under load cannot flood the log.
 */
final class AsyncFailureLog {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncFailureLog.class);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final String cluster;
    private final GatewayMetrics metrics;
    private long lastLogged = System.nanoTime() - LOG_INTERVAL_NANOS;
    private long suppressed;

    AsyncFailureLog(String cluster, GatewayMetrics metrics) {
        this.cluster = cluster;
        this.metrics = metrics;
    }

    void record(String topic, Throwable failure) {
        GatewayException error = GatewayException.from(failure);
        metrics.asyncProduceFailures(cluster, error.code().name().toLowerCase(java.util.Locale.ROOT)).increment();
        long now = System.nanoTime();
        if (now - lastLogged < LOG_INTERVAL_NANOS) {
            suppressed++;
            return;
        }
        LOG.atWarn()
                .addKeyValue("cluster", cluster)
                .addKeyValue("topic", topic)
                .addKeyValue("error", error.getMessage())
                .addKeyValue("suppressed", suppressed)
                .log("async produce failed; the message is lost");
        lastLogged = now;
        suppressed = 0;
    }
}
