package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One partition this gateway owns for a group: records fetched and not yet handed out, messages handed out and not yet
 * acknowledged (offers, each with a deadline), and the offset tracker. Confined to the consumer engine's event loop.
 */
final class PartitionState {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionState.class);

    /** A message handed out and waiting for its acknowledgement. */
    static final class Offer {
        final ConsumerRecord<byte[], byte[]> record;
        int deliveries = 1;
        long deadlineNanos;

        Offer(ConsumerRecord<byte[], byte[]> record, long deadlineNanos) {
            this.record = record;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** A heap entry; stale once its offer was acknowledged or given a later deadline. */
    private record Due(long deadlineNanos, Offer offer) {
    }

    private final String group;
    private final ConsumerStats stats;
    private final TopicPartition partition;
    private final OffsetTracker tracker;
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private final Map<Long, Offer> offers = new HashMap<>();
    private final PriorityQueue<Due> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));
    private long bufferedBytes;
    private long nextFetched;
    private long committedSent;
    private String metadataSent;

    PartitionState(String group, TopicPartition partition, OffsetTracker tracker, long position) {
        this(group, new ConsumerStats(), partition, tracker, position);
    }

    PartitionState(String group, ConsumerStats stats, TopicPartition partition, OffsetTracker tracker, long position) {
        this.group = group;
        this.stats = stats;
        this.partition = partition;
        this.tracker = tracker;
        this.nextFetched = position;
        this.committedSent = tracker.committed();
        this.metadataSent = tracker.metadata();
    }

    TopicPartition partition() {
        return partition;
    }

    /** Takes fetched records; offsets without a record (transaction markers, compaction) count as acknowledged. */
    void append(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            long offset = record.offset();
            if (offset < nextFetched) {
                continue;
            }
            if (offset > nextFetched) {
                ackGap(nextFetched, offset);
            }
            nextFetched = offset + 1;
            if (!tracker.isAcked(offset)) {
                buffer.addLast(record);
                buffered(size(record));
            }
        }
    }

    private void ackGap(long from, long to) {
        try {
            tracker.ack(from, to);
        } catch (OffsetTracker.TooManyAcksException e) {
            LOG.atDebug().addKeyValue("group", group).addKeyValue("partition", partition.toString())
                    .log("gap left unacknowledged: too many acknowledged ranges");
        }
    }

    /**
     * The next offer whose deadline has passed, with its delivery counted; messages offered more than
     * {@code maxRetries} times are dropped (acknowledged) instead, unless {@code maxRetries} is -1.
     */
    Offer takeDueRetry(long nowNanos, int maxRetries, long ackTimeoutNanos) {
        while (!deadlines.isEmpty() && deadlines.peek().deadlineNanos() - nowNanos <= 0) {
            Due due = deadlines.poll();
            Offer offer = due.offer();
            if (offers.get(offer.record.offset()) != offer || offer.deadlineNanos != due.deadlineNanos()) {
                continue;
            }
            if (maxRetries >= 0 && offer.deliveries > maxRetries) {
                LOG.atWarn().addKeyValue("group", group).addKeyValue("topic", partition.topic())
                        .addKeyValue("partition", partition.partition()).addKeyValue("offset", offer.record.offset())
                        .addKeyValue("deliveries", offer.deliveries)
                        .log("message never acknowledged; dropped after consumer.max_retries");
                dropAck(offer.record.offset());
                continue;
            }
            offer.deliveries++;
            stats.redeliveries.incrementAndGet();
            schedule(offer, nowNanos + ackTimeoutNanos);
            return offer;
        }
        return null;
    }

    /** The next fetched message not yet acknowledged, unless {@code maxPending} offers already wait for acks. */
    ConsumerRecord<byte[], byte[]> takeNew(int maxPending) {
        if (offers.size() >= maxPending) {
            return null;
        }
        while (!buffer.isEmpty()) {
            ConsumerRecord<byte[], byte[]> record = buffer.pollFirst();
            buffered(-size(record));
            if (!tracker.isAcked(record.offset())) {
                return record;
            }
        }
        return null;
    }

    /** Tracks {@code record} as handed out and waiting for an acknowledgement until {@code deadlineNanos}. */
    void offer(ConsumerRecord<byte[], byte[]> record, long deadlineNanos) {
        Offer offer = new Offer(record, deadlineNanos);
        if (offers.put(record.offset(), offer) == null) {
            stats.pendingAcks.incrementAndGet();
        }
        deadlines.add(new Due(deadlineNanos, offer));
    }

    private void schedule(Offer offer, long deadlineNanos) {
        offer.deadlineNanos = deadlineNanos;
        deadlines.add(new Due(deadlineNanos, offer));
    }

    /**
     * Acknowledges {@code offset}.
     *
     * @throws OffsetTracker.TooManyAcksException when the commit metadata would grow beyond what Kafka stores
     */
    void ack(long offset) {
        tracker.ack(offset);
        removeOffer(offset);
    }

    private void removeOffer(long offset) {
        if (offers.remove(offset) != null) {
            stats.pendingAcks.decrementAndGet();
        }
    }

    private void buffered(long delta) {
        bufferedBytes += delta;
        stats.bufferedBytes.addAndGet(delta);
    }

    /** Forgets everything buffered and offered here (the partition moved away, or was reset). */
    void release() {
        buffer.clear();
        buffered(-bufferedBytes);
        stats.pendingAcks.addAndGet(-offers.size());
        offers.clear();
        deadlines.clear();
    }

    private void dropAck(long offset) {
        removeOffer(offset);
        try {
            tracker.ack(offset);
        } catch (OffsetTracker.TooManyAcksException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("partition", partition.toString()).addKeyValue("offset", offset)
                    .log("dropped message stays unacknowledged in Kafka: too many acknowledged ranges");
        }
    }

    /** Makes an offered message due again at once (its client went away without acknowledging it). */
    void offerAgainNow(long offset, long nowNanos) {
        Offer offer = offers.get(offset);
        if (offer != null) {
            schedule(offer, nowNanos);
        }
    }

    boolean hasUnacked() {
        return !offers.isEmpty();
    }

    boolean hasDueRetry(long nowNanos) {
        while (!deadlines.isEmpty()) {
            Due due = deadlines.peek();
            Offer offer = due.offer();
            if (offers.get(offer.record.offset()) == offer && offer.deadlineNanos == due.deadlineNanos()) {
                return due.deadlineNanos() - nowNanos <= 0;
            }
            deadlines.poll();
        }
        return false;
    }

    long bufferedBytes() {
        return bufferedBytes;
    }

    /** Moves the group's position here, as a client asked: everything fetched or offered is forgotten. */
    void reset(long offset, String metadata) {
        tracker.reset(offset, metadata);
        release();
        nextFetched = offset;
        committedSent = -1;
    }

    /** What to commit, or null when nothing changed since the last commit. */
    OffsetAndMetadata commitIfChanged() {
        long committed = tracker.committed();
        String metadata = tracker.metadata();
        if (committed == committedSent && metadata.equals(metadataSent)) {
            return null;
        }
        committedSent = committed;
        metadataSent = metadata;
        return new OffsetAndMetadata(committed, metadata);
    }

    OffsetAndMetadata commitPoint() {
        return new OffsetAndMetadata(tracker.committed(), tracker.metadata());
    }

    private static long size(ConsumerRecord<byte[], byte[]> record) {
        return FlowControl.size(record);
    }
}
