package io.kafkagateway.consumer;

/** Acknowledged offsets {@code [from, to)} above a partition's committed offset. */
public record AckedRange(long from, long to) {

    public AckedRange {
        if (from >= to) {
            throw new IllegalArgumentException("empty range [" + from + ", " + to + ")");
        }
    }
}
