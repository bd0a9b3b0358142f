package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many fetched bytes of each partition the gateway holds: those handed from the poll thread and not yet taken
 * in by the event loop, plus those the event loop still buffers. The poll thread pauses a partition that holds too
 * much before its next poll, so the gateway never holds more than a partition's limit plus one poll; and it pauses
 * every partition while the cluster's engine holds its whole budget ({@code consumer.max_memory_bytes}).
 */
final class FlowControl {

    private static final class Flow {
        final AtomicLong inTransit = new AtomicLong();
        volatile long buffered;

        long total() {
            return inTransit.get() + buffered;
        }
    }

    private final long limitBytes;
    private final MemoryBudget budget;
    private final ConcurrentHashMap<TopicPartition, Flow> flows = new ConcurrentHashMap<>();

    FlowControl(long limitBytes, MemoryBudget budget) {
        this.limitBytes = limitBytes;
        this.budget = budget;
    }

    static long size(ConsumerRecord<byte[], byte[]> record) {
        return Math.max(0, record.serializedValueSize()) + Math.max(0, record.serializedKeySize()) + 64L;
    }

    static long size(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        long total = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            total += size(record);
        }
        return total;
    }

    /** Poll thread: records of {@code partition} were handed to the event loop. */
    void handedOver(TopicPartition partition, long bytes) {
        flows.computeIfAbsent(partition, p -> new Flow()).inTransit.addAndGet(bytes);
    }

    /** Event loop: records handed over were taken in; {@code buffered} is what the partition holds now. */
    void takenIn(TopicPartition partition, long bytes, long buffered) {
        Flow flow = flows.get(partition);
        if (flow == null) {
            return; // forgotten (the partition moved) while its records were on their way
        }
        flow.inTransit.addAndGet(-bytes);
        flow.buffered = buffered;
    }

    /** Event loop: the partition's buffer changed (messages handed out, or forgotten). */
    void buffered(TopicPartition partition, long buffered) {
        Flow flow = flows.get(partition);
        if (flow != null) {
            flow.buffered = buffered;
        }
    }

    /** Poll thread: whether {@code partition} holds enough that fetching should stop. */
    boolean full(TopicPartition partition) {
        if (budget.exhausted()) {
            return true;
        }
        Flow flow = flows.get(partition);
        return flow != null && flow.total() >= limitBytes;
    }

    /** Poll thread: whether a paused {@code partition} has drained enough to fetch again. */
    boolean drained(TopicPartition partition) {
        if (budget.exhausted()) {
            return false;
        }
        Flow flow = flows.get(partition);
        return flow == null || flow.total() < limitBytes / 2;
    }

    void forget(TopicPartition partition) {
        flows.remove(partition);
    }
}
