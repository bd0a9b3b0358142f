package io.kafkagateway.peers;

import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.peers.wire.Outcome;
import io.kafkagateway.peers.wire.Position;
import io.kafkagateway.peers.wire.Report;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Batches this gateway handed to another, waiting for the other's report of what became of them (written to its
 * client, or not, or returned unacknowledged). At most {@link #MAX} are held, each for at most the ack timeout: a
 * batch let go unreported is offered again by the engine after its ack timeout, as any unreported batch is. Confined
 * to the cluster verticle's event loop.
 */
final class HeldBatches {

    static final int MAX = 10_000;

    private record Held(ConsumedBatch batch, long expiresNanos) {
    }

    private final long keepNanos;
    private final Map<Long, Held> held = new LinkedHashMap<>();
    private long next;

    HeldBatches(long keepNanos) {
        this.keepNanos = keepNanos;
    }

    /** Holds {@code batch}; returns the id its report names. */
    long hold(ConsumedBatch batch) {
        long now = System.nanoTime();
        Iterator<Held> oldest = held.values().iterator();
        while (oldest.hasNext()) {
            Held first = oldest.next();
            if (held.size() < MAX && first.expiresNanos - now > 0) {
                break;
            }
            oldest.remove();
        }
        long id = ++next;
        held.put(id, new Held(batch, now + keepNanos));
        return id;
    }

    /** Applies a report; an unknown or expired id changes nothing (the engine's ack timeout covers it). */
    void report(Report report) {
        Held entry = held.get(report.getReceipt());
        if (entry == null) {
            return;
        }
        ConsumedBatch batch = entry.batch;
        if (report.getOutcome() == Outcome.DELIVERED) {
            batch.receipt().delivered();
        } else if (report.getOutcome() == Outcome.UNDELIVERED) {
            batch.receipt().undelivered();
            held.remove(report.getReceipt());
        } else if (report.getOutcome() == Outcome.RETURNED) {
            Set<String> returned = report.getReturnedList().stream().map(HeldBatches::key).collect(Collectors.toSet());
            List<ConsumedMessage> messages = batch.messages().stream()
                    .filter(m -> returned.contains(m.partition() + "@" + m.offset())).toList();
            batch.receipt().returned(messages);
            held.remove(report.getReceipt());
        }
    }

    private static String key(Position position) {
        return position.getPartition() + "@" + position.getOffset();
    }
}
