package io.kafkagateway.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Acknowledgements of one partition: the committed offset is the lowest offset not yet acknowledged, and offsets
 * acknowledged above it are kept as ranges, to be stored in the commit metadata ({@link SparseAcks}) so that a new
 * owner skips them. Not thread-safe: confined to the consumer engine's event loop.
 */
final class OffsetTracker {

    /**
     * Kafka refuses commit metadata longer than {@code offset.metadata.max.bytes} (4096 by default); acknowledgements
     * that would need more are refused until the oldest unacknowledged offsets are acknowledged.
     */
    static final int MAX_METADATA_CHARS = 3000;

    private long committed;
    /** Acknowledged ranges above {@link #committed}: from to to, disjoint and not adjacent. */
    private final TreeMap<Long, Long> acked = new TreeMap<>();

    OffsetTracker(long committed) {
        this.committed = committed;
    }

    /** Restores the state Kafka holds: the committed offset and the ranges in its metadata. */
    static OffsetTracker restore(long committed, String metadata) {
        OffsetTracker tracker = new OffsetTracker(committed);
        for (AckedRange range : SparseAcks.decode(committed, metadata)) {
            tracker.acked.put(range.from(), range.to());
        }
        return tracker;
    }

    long committed() {
        return committed;
    }

    boolean isAcked(long offset) {
        if (offset < committed) {
            return true;
        }
        Map.Entry<Long, Long> range = acked.floorEntry(offset);
        return range != null && offset < range.getValue();
    }

    /** The first offset at or after {@code offset} that is not acknowledged. */
    long nextUnacked(long offset) {
        long candidate = Math.max(offset, committed);
        Map.Entry<Long, Long> range = acked.floorEntry(candidate);
        return range != null && candidate < range.getValue() ? range.getValue() : candidate;
    }

    /**
     * Records the acknowledgement of {@code offset}.
     *
     * @return whether anything changed (false for offsets already acknowledged or below the committed offset)
     * @throws TooManyAcksException when the metadata would grow beyond {@link #MAX_METADATA_CHARS}
     */
    boolean ack(long offset) {
        return ack(offset, offset + 1);
    }

    /** Records {@code [from, to)} as acknowledged, e.g. offsets that turned out not to hold records. */
    boolean ack(long from, long to) {
        long start = Math.max(from, committed);
        if (start >= to) {
            return false;
        }
        if (start == committed && (acked.isEmpty() || acked.firstKey() > to)) {
            // The usual case, acknowledgements in order: the committed offset moves on, no range is touched.
            committed = to;
            return true;
        }
        if (covered(start, to)) {
            return false;
        }
        Map.Entry<Long, Long> before = acked.floorEntry(start);
        long newFrom = before != null && before.getValue() >= start ? before.getKey() : start;
        long newTo = to;
        List<Long> swallowed = new ArrayList<>();
        for (Map.Entry<Long, Long> range : acked.tailMap(newFrom, true).entrySet()) {
            if (range.getKey() > newTo) {
                break;
            }
            swallowed.add(range.getKey());
            newTo = Math.max(newTo, range.getValue());
        }
        // Only a range that joins nothing makes the metadata grow materially; check Kafka's limit before adding one.
        if (newFrom != committed && swallowed.isEmpty() && encodedLengthWith(newFrom, newTo) > MAX_METADATA_CHARS) {
            throw new TooManyAcksException(committed);
        }
        swallowed.forEach(acked::remove);
        if (newFrom == committed) {
            committed = newTo;
        } else {
            acked.put(newFrom, newTo);
        }
        return true;
    }

    private int encodedLengthWith(long from, long to) {
        TreeMap<Long, Long> candidate = new TreeMap<>(acked);
        candidate.put(from, to);
        List<AckedRange> ranges = new ArrayList<>(candidate.size());
        candidate.forEach((f, t) -> ranges.add(new AckedRange(f, t)));
        return SparseAcks.encode(committed, ranges).length();
    }

    private boolean covered(long from, long to) {
        Map.Entry<Long, Long> range = acked.floorEntry(from);
        return range != null && range.getValue() >= to;
    }

    /** Moves the committed offset, e.g. when a client sets it; acknowledgements below it are forgotten. */
    void reset(long offset, String metadata) {
        committed = offset;
        acked.clear();
        for (AckedRange range : SparseAcks.decode(offset, metadata)) {
            acked.put(range.from(), range.to());
        }
    }

    List<AckedRange> ranges() {
        List<AckedRange> out = new ArrayList<>(acked.size());
        acked.forEach((from, to) -> out.add(new AckedRange(from, to)));
        return out;
    }

    String metadata() {
        return SparseAcks.encode(committed, ranges());
    }

    /** Thrown when recording an acknowledgement would make the commit metadata larger than Kafka accepts. */
    static final class TooManyAcksException extends RuntimeException {

        TooManyAcksException(long committed) {
            super("too many messages acknowledged above the oldest unacknowledged offset " + committed
                    + "; acknowledge that one first", null, false, false);
        }
    }
}
