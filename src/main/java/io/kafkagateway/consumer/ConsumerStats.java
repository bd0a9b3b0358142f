package io.kafkagateway.consumer;

import io.kafkagateway.metrics.GatewayMetrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of one cluster's consumer engine, written on its event loop and read by the metrics scrape from
 * another thread.
 */
final class ConsumerStats {

    final AtomicLong bufferedBytes = new AtomicLong();
    final AtomicLong pendingAcks = new AtomicLong();
    final AtomicLong groups = new AtomicLong();
    final AtomicLong redeliveries = new AtomicLong();
    /** Consume requests parked, waiting for messages. */
    final AtomicLong waiting = new AtomicLong();

    ConsumerStats(String cluster, GatewayMetrics metrics) {
        metrics.consumerGauges(cluster, bufferedBytes, pendingAcks, groups, redeliveries, waiting);
    }

    /** Totals for tests and callers without metrics. */
    ConsumerStats() {
    }
}
