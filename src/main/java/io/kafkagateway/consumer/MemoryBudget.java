package io.kafkagateway.consumer;

/**
 * The bytes of records one cluster's consumer engine may hold across all its groups and partitions
 * ({@code consumer.max_memory_bytes}): fetched and not yet handed out, plus handed out and kept until acknowledged.
 * Once they are all held, the poll threads stop fetching, no new group is joined, and a consume request that finds
 * nothing ready is refused (429) instead of parked, until acknowledgements free some. Read from any thread.
 */
final class MemoryBudget {

    private final long limitBytes;
    private final ConsumerStats stats;

    MemoryBudget(long limitBytes, ConsumerStats stats) {
        this.limitBytes = limitBytes;
        this.stats = stats;
    }

    boolean exhausted() {
        return stats.heldBytes() >= limitBytes;
    }

    long limitBytes() {
        return limitBytes;
    }

    long heldBytes() {
        return stats.heldBytes();
    }
}
