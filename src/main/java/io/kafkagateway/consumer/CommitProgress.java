package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * What Kafka holds as one partition's commit, as far as this member knows, and the commit on its way there.
 *
 * <p>Invariant: a point counts as committed only once Kafka confirmed it. A commit that failed, or was never
 * answered, leaves the confirmed point where it was, so the next periodic commit sends the current point again,
 * whether or not anything was acknowledged since. One commit is in flight at a time; a point that changes meanwhile
 * goes with the next one. Confined to the consumer engine's event loop.
 */
final class CommitProgress {

    /** Kafka's commit as last confirmed; null when unknown (nothing committed, or the last outcome is unknown). */
    private OffsetAndMetadata confirmed;
    private OffsetAndMetadata inFlight;

    /** {@code confirmed}: what Kafka is known to hold, or null when it holds nothing this member knows of. */
    CommitProgress(OffsetAndMetadata confirmed) {
        this.confirmed = confirmed;
    }

    /** The point to send now, marked in flight, or null when Kafka holds it already or a commit is on its way. */
    OffsetAndMetadata due(OffsetAndMetadata current) {
        if (inFlight != null || same(current, confirmed)) {
            return null;
        }
        inFlight = current;
        return current;
    }

    /** Kafka answered the commit of {@code point}. */
    void answered(OffsetAndMetadata point, boolean committed) {
        if (point != inFlight) {
            return;
        }
        inFlight = null;
        if (committed) {
            confirmed = point;
        }
    }

    /** Equal offset and metadata; a leader epoch Kafka holds with the commit does not matter here. */
    private static boolean same(OffsetAndMetadata a, OffsetAndMetadata b) {
        return b != null && a.offset() == b.offset() && a.metadata().equals(b.metadata());
    }

    OffsetAndMetadata confirmed() {
        return confirmed;
    }
}
