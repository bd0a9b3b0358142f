package io.kafkagateway.consumer;

import io.kafkagateway.config.InitialOffset;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The poll thread's record of the partitions it was assigned: the epoch of each (new at every assignment and every
 * seek, so the event loop can tell records of an old position), and their set-up. Setting a partition up reads where
 * the group committed it (or places a new group at its initial offset and commits that) before the event loop hears
 * of it. When Kafka does not answer, the partition stays paused (nothing is fetched for it) and the set-up is tried
 * again after {@code retry_backoff}: an assigned partition is never left unserved. Confined to the poll thread.
 */
final class PartitionSetUp {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionSetUp.class);

    private final String group;
    private final Function<String, InitialOffset> initialOffset;
    private final Duration retryBackoff;
    private final AtomicLong epochCounter;
    private final java.util.function.Consumer<List<GroupDriver.Assigned>> report;
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    private final Set<TopicPartition> waiting = new HashSet<>();
    private long nextAttemptNanos;

    /** {@code report}: where set-up partitions go (the event loop); {@code epochCounter}: shared with the event loop. */
    PartitionSetUp(String group, Function<String, InitialOffset> initialOffset, Duration retryBackoff, AtomicLong epochCounter,
                   java.util.function.Consumer<List<GroupDriver.Assigned>> report) {
        this.group = group;
        this.initialOffset = initialOffset;
        this.retryBackoff = retryBackoff;
        this.epochCounter = epochCounter;
        this.report = report;
    }

    /** The epoch fetches of {@code partition} are tagged with; -1 when it is not assigned. */
    long epoch(TopicPartition partition) {
        return epochs.getOrDefault(partition, -1L);
    }

    /** A seek moved {@code partition}: its fetches carry {@code epoch} from now on. */
    void moved(TopicPartition partition, long epoch) {
        epochs.put(partition, epoch);
    }

    /** Whether {@code partition} is assigned but not set up yet (it must stay paused). */
    boolean waiting(TopicPartition partition) {
        return waiting.contains(partition);
    }

    /** Newly assigned partitions: new epochs, then their set-up. */
    void assigned(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            epochs.put(partition, epochCounter.incrementAndGet());
        }
        setUp(consumer, partitions);
    }

    /** Revoked or lost partitions are forgotten. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(epochs::remove);
        waiting.removeAll(partitions);
    }

    /** Tries again, when due, to set up the partitions whose set-up failed. */
    void retry(Consumer<byte[], byte[]> consumer) {
        if (waiting.isEmpty() || System.nanoTime() - nextAttemptNanos < 0) {
            return;
        }
        waiting.retainAll(consumer.assignment());
        setUp(consumer, new ArrayList<>(waiting));
    }

    private void setUp(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        Set<TopicPartition> owned = new HashSet<>(partitions);
        owned.retainAll(consumer.assignment());
        if (owned.isEmpty()) {
            return;
        }
        List<GroupDriver.Assigned> assigned = new ArrayList<>(owned.size());
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(owned);
            Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> known = new HashMap<>();
            for (TopicPartition partition : owned) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset == null) {
                    if (initialOffset.apply(partition.topic()) == InitialOffset.EARLIEST) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seekToEnd(List.of(partition));
                    }
                    offset = new OffsetAndMetadata(consumer.position(partition), "");
                    starts.put(partition, offset);
                }
                known.put(partition, offset);
            }
            boolean pinned = pinStart(consumer, starts);
            for (TopicPartition partition : owned) {
                assigned.add(new GroupDriver.Assigned(partition, known.get(partition), consumer.position(partition),
                        epochs.get(partition), pinned || !starts.containsKey(partition)));
            }
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("partitions", owned.toString())
                    .addKeyValue("error", e.toString())
                    .log("assigned partitions not set up (committed offsets unreadable); they stay paused and are tried again");
            if (waiting.addAll(owned)) {
                consumer.pause(owned);
            }
            nextAttemptNanos = System.nanoTime() + retryBackoff.toNanos();
            return;
        }
        waiting.removeAll(owned);
        report.accept(assigned);
    }

    /**
     * Commits where a group without commits starts, before handing out anything: a crash before the first periodic
     * commit must not move the start to wherever "latest" is by the time the group comes back. False when Kafka did
     * not take it: the event loop then commits it with the next periodic commit.
     */
    private boolean pinStart(Consumer<byte[], byte[]> consumer,
                             Map<TopicPartition, OffsetAndMetadata> starts) {
        if (starts.isEmpty()) {
            return true;
        }
        try {
            consumer.commitSync(starts);
            return true;
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString())
                    .log("start offset of a new group not committed; the periodic commit will record it");
            return false;
        }
    }
}
