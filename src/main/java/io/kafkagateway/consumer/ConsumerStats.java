package io.kafkagateway.consumer;

import io.kafkagateway.metrics.GatewayMetrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of one cluster's consumer engine, written on its event loop and read by the metrics scrape and the
 * poll threads from others.
 */
final class ConsumerStats {

    /** Bytes of records fetched and not yet handed out. */
    final AtomicLong bufferedBytes = new AtomicLong();
    /** Bytes of records handed out and not yet acknowledged (kept for a redelivery). */
    final AtomicLong offeredBytes = new AtomicLong();
    final AtomicLong pendingAcks = new AtomicLong();
    final AtomicLong groups = new AtomicLong();
    final AtomicLong redeliveries = new AtomicLong();
    /** Consume requests parked, waiting for messages. */
    final AtomicLong waiting = new AtomicLong();
    /** Acknowledgements for partitions this gateway does not own for the group (refused or dropped, never silently). */
    final AtomicLong acksNotOwned = new AtomicLong();
    /** Records fetched from a position a client moved away from, discarded on arrival. */
    final AtomicLong fencedRecords = new AtomicLong();
    /** Times a partition's log was found to have moved back (recreated or truncated) and was consumed again. */
    final AtomicLong logRewinds = new AtomicLong();

    ConsumerStats(String cluster, GatewayMetrics metrics) {
        metrics.consumerGauges(cluster, new GatewayMetrics.ConsumerTotals(bufferedBytes, offeredBytes, pendingAcks, groups,
                redeliveries, waiting, acksNotOwned, fencedRecords, logRewinds));
    }

    /** Totals for tests and callers without metrics. */
    ConsumerStats() {
    }

    /** Bytes of records the engine holds: fetched and not handed out, plus handed out and not acknowledged. */
    long heldBytes() {
        return bufferedBytes.get() + offeredBytes.get();
    }
}
