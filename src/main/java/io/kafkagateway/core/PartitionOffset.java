package io.kafkagateway.core;

/**
 * A group's position in one partition: the partition's first and next offsets, the group's committed offset (-1 when
 * it never committed) and commit metadata, and the acknowledged ranges above it in human form ("1-4,6-8").
 */
public record PartitionOffset(int partition, long begin, long end, long offset, String metadata, String sparseAcks) {

    /** Kafka-Pixy's "no committed offset": sarama's OffsetNewest. */
    public static final long NONE = -1;
    /** sarama's OffsetOldest, which Kafka-Pixy clients may send. */
    public static final long OLDEST = -2;

    public long count() {
        return end - begin;
    }

    public long lag() {
        if (offset == NONE) {
            return 0;
        }
        if (offset == OLDEST) {
            return end - begin;
        }
        return end - offset;
    }
}
