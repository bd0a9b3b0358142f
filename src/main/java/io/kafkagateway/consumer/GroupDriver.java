package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The Kafka side of one group member as its event loop sees it: commands go to the Kafka consumer's own thread, and
 * what happens there comes back as {@link Events}. {@link ConsumerDriver} is the real one.
 */
interface GroupDriver {

    /**
     * A partition this member now owns: where the group committed (null if never), where fetching starts, the epoch
     * the partition's fetches are tagged with, and whether Kafka holds {@code committed} (false when the start of a new
     * group could not be committed yet).
     */
    record Assigned(TopicPartition partition, OffsetAndMetadata committed, long position, long epoch,
                    boolean committedInKafka) {
    }

    /** Records of one poll, and the epoch each of their partitions was fetched in. */
    record Fetched(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> epochs) {
    }

    /** What the driver reports; called on the poll thread, so implementations hand over to their event loop. */
    interface Events {
        void assigned(List<Assigned> partitions);

        /** Stop using {@code partitions}; the returned commit points are committed before they move. */
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> revoked(Collection<TopicPartition> partitions);

        /**
         * The commit points last sent for {@code partitions}, for a revocation whose event loop did not answer in
         * time; never ahead of what was acknowledged. Called on the poll thread.
         */
        Map<TopicPartition, OffsetAndMetadata> lastSent(Collection<TopicPartition> partitions);

        void lost(Collection<TopicPartition> partitions);

        /** A rebalance completed (whether or not it assigned anything here). */
        default void settled() {
        }

        void records(Fetched fetched);

        /** The consumer stopped by itself (it was fenced by another member with its instance id, or failed). */
        void failed(Throwable failure);
    }

    void start();

    void subscribe(Set<String> topics);

    /**
     * Moves the position of {@code partition} to {@code offset}, if the partition is still in the assignment whose
     * fetches carry {@code currentEpoch}; its fetches are tagged {@code newEpoch} from then on. False when the command
     * could not be queued.
     */
    boolean seek(TopicPartition partition, long offset, long currentEpoch, long newEpoch);

    /**
     * Commits without waiting; partitions the consumer no longer owns when the commit is sent are left out. The future
     * holds the partitions Kafka confirmed (empty when the commit failed or was left out entirely).
     */
    CompletableFuture<Set<TopicPartition>> commit(Map<TopicPartition, OffsetAndMetadata> offsets);

    /** Commits and waits for Kafka's answer (a client moving the group's offsets waits for it too). */
    CompletableFuture<Void> commitAndWait(Map<TopicPartition, OffsetAndMetadata> offsets);

    /**
     * Commits {@code offsets} and closes the consumer within {@code timeout}, leaving the group when {@code leave}
     * (its partitions move at once) or staying in it (a static member coming back within the session timeout gets
     * them back without a rebalance); completes once the consumer is closed.
     */
    CompletableFuture<Void> close(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout, boolean leave);
}
