package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;

/**
 * One partition this gateway owns for a group: records fetched and not yet handed out, messages handed out and not
 * yet acknowledged ({@link PendingAcks}), the acknowledgements ({@link OffsetTracker}) and the commit
 * ({@link CommitProgress}).
 *
 * <p>Invariant (fencing): the partition has an epoch, which changes whenever the group's position here is moved (a
 * client set the offset). The poll thread tags every fetch with the epoch of the last seek it carried out, so records
 * fetched from the old position that arrive after the move are discarded: they are never buffered and never taken
 * for a gap. Within one epoch, offsets only grow: a record below the next expected offset means the log itself moved
 * back (the topic was recreated, or truncated), and the partition starts again from that record.
 * Confined to the consumer engine's event loop.
 */
final class PartitionState {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionState.class);

    private final String group;
    private final ConsumerStats stats;
    private final TopicPartition partition;
    private final OffsetTracker tracker;
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private final PendingAcks pending = new PendingAcks();
    private CommitProgress commits;
    private long epoch;
    private long bufferedBytes;
    private long nextFetched;
    /** A client moved the position here: from then on, only acknowledgements of messages handed out since count. */
    private boolean moved;

    /**
     * @param epoch     the epoch the poll thread tags this partition's fetches with from now on
     * @param confirmed what Kafka holds as the group's commit here; null when nothing is known to be committed
     */
    PartitionState(String group, ConsumerStats stats, TopicPartition partition, OffsetTracker tracker, long position,
                   long epoch, OffsetAndMetadata confirmed) {
        this.group = group;
        this.stats = stats;
        this.partition = partition;
        this.tracker = tracker;
        this.nextFetched = position;
        this.epoch = epoch;
        this.commits = new CommitProgress(confirmed);
    }

    TopicPartition partition() {
        return partition;
    }

    long epoch() {
        return epoch;
    }

    /**
     * Takes records fetched in {@code fetchEpoch}: discarded when the position moved since; offsets without a record
     * (transaction markers, compaction) count as acknowledged. True when the log was found to have moved back, so
     * that the partition starts again from a lower offset.
     */
    boolean append(List<ConsumerRecord<byte[], byte[]>> records, long fetchEpoch) {
        if (fetchEpoch != epoch) {
            stats.fencedRecords.addAndGet(records.size());
            return false;
        }
        boolean restarted = false;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            long offset = record.offset();
            if (offset < nextFetched) {
                logMovedBack(offset);
                restartAt(offset);
                restarted = true;
            } else if (offset > nextFetched) {
                ackGap(nextFetched, offset);
            }
            nextFetched = offset + 1;
            if (!tracker.isAcked(offset)) {
                buffer.addLast(record);
                buffered(FlowControl.size(record));
            }
        }
        return restarted;
    }

    private void logMovedBack(long offset) {
        LOG.atWarn().addKeyValue("group", group).addKeyValue("topic", partition.topic())
                .addKeyValue("partition", partition.partition()).addKeyValue("offset", offset)
                .addKeyValue("expected", nextFetched)
                .log("the partition's log moved back (topic recreated or truncated); consuming again from its start");
        stats.logRewinds.incrementAndGet();
    }

    /** The log now starts below what was tracked: forget what was buffered, offered and acknowledged above it. */
    private void restartAt(long offset) {
        release();
        tracker.reset(offset, "");
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
     * The next offer due again, with its delivery counted and its next deadline set; messages offered more than
     * {@code maxRetries} times are dropped (acknowledged) instead, unless {@code maxRetries} is -1.
     */
    PendingAcks.Offer takeDueRetry(long nowNanos, int maxRetries, long ackTimeoutNanos) {
        PendingAcks.Offer offer;
        while ((offer = pending.takeDue(nowNanos)) != null) {
            if (maxRetries >= 0 && offer.deliveries > maxRetries) {
                LOG.atWarn().addKeyValue("group", group).addKeyValue("topic", partition.topic())
                        .addKeyValue("partition", partition.partition()).addKeyValue("offset", offer.offset())
                        .addKeyValue("deliveries", offer.deliveries)
                        .log("message never acknowledged; dropped after consumer.max_retries");
                pending.dropTaken(offer);
                offered(-offer.bytes, -1);
                ackQuietly(offer.offset());
                continue;
            }
            offer.deliveries++;
            stats.redeliveries.incrementAndGet();
            pending.reschedule(offer, nowNanos + ackTimeoutNanos);
            return offer;
        }
        return null;
    }

    /** The next fetched message not yet acknowledged, unless {@code maxPending} offers already wait for the client. */
    ConsumerRecord<byte[], byte[]> takeNew(int maxPending) {
        if (pending.awaitingClient() >= maxPending) {
            return null;
        }
        while (!buffer.isEmpty()) {
            ConsumerRecord<byte[], byte[]> record = buffer.pollFirst();
            buffered(-FlowControl.size(record));
            if (!tracker.isAcked(record.offset())) {
                return record;
            }
        }
        return null;
    }

    /**
     * Tracks {@code record} as handed out until {@code deadlineNanos} (now plus the ack timeout); {@code auto}: it is
     * acknowledged once its write is reported, without waiting for the client.
     */
    PendingAcks.Offer offer(ConsumerRecord<byte[], byte[]> record, boolean auto, long deadlineNanos) {
        int before = pending.size();
        long bytesBefore = pending.bytes();
        PendingAcks.Offer offer = pending.add(record, auto, deadlineNanos);
        offered(pending.bytes() - bytesBefore, pending.size() - before);
        return offer;
    }

    /** {@code offer}, taken with {@link #takeDueRetry}, is handed out again, acknowledged as {@code auto} says. */
    PendingAcks.Offer handOutAgain(PendingAcks.Offer offer, boolean auto) {
        pending.mode(offer, auto);
        return offer;
    }

    /**
     * The front-end reported the write of {@code offer}, handed out in {@code handedEpoch} as delivery
     * {@code delivery}; a report about an earlier delivery, or from before the position moved, changes nothing.
     *
     * @return whether an auto-acknowledged message could not be acknowledged (too many acknowledged ranges)
     */
    boolean written(PendingAcks.Offer offer, int delivery, long handedEpoch, boolean delivered, long nowNanos) {
        if (handedEpoch != epoch || pending.get(offer.offset()) != offer || offer.deliveries != delivery) {
            return false;
        }
        if (!delivered) {
            // Never reached a client: not a delivery that counts towards max_retries.
            offer.deliveries--;
            pending.dueAtOnce(offer.offset());
            return false;
        }
        if (offer.auto) {
            try {
                ack(offer.offset());
            } catch (OffsetTracker.TooManyAcksException e) {
                return true;
            }
        }
        return false;
    }

    /**
     * Acknowledges {@code offset}. Once a client moved the position here, an acknowledgement of a message not handed
     * out since (it was handed out before the move, which asked for it again) changes nothing: it is delivered again.
     *
     * @return false when the acknowledgement did not count for that reason (true for one already recorded)
     * @throws OffsetTracker.TooManyAcksException when the commit metadata would grow beyond what Kafka stores
     */
    boolean ack(long offset) {
        PendingAcks.Offer offer = pending.get(offset);
        if (moved && offer == null) {
            return tracker.isAcked(offset);
        }
        tracker.ack(offset);
        if (offer != null) {
            pending.remove(offset);
            offered(-offer.bytes, -1);
        }
        return true;
    }

    private void ackQuietly(long offset) {
        try {
            tracker.ack(offset);
        } catch (OffsetTracker.TooManyAcksException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("partition", partition.toString()).addKeyValue("offset", offset)
                    .log("dropped message stays unacknowledged in Kafka: too many acknowledged ranges");
        }
    }

    /**
     * The client {@code offer} was delivered to (as {@code delivery}, in {@code handedEpoch}) went away without
     * acknowledging it: it is due again at once, unless it was handed out again since or the position moved.
     */
    boolean returned(PendingAcks.Offer offer, int delivery, long handedEpoch) {
        if (handedEpoch != epoch || pending.get(offer.offset()) != offer || offer.deliveries != delivery) {
            return false;
        }
        pending.dueAtOnce(offer.offset());
        return true;
    }

    boolean hasUnacked() {
        return !pending.isEmpty();
    }

    boolean hasDueRetry(long nowNanos) {
        return pending.hasDue(nowNanos);
    }

    long bufferedBytes() {
        return bufferedBytes;
    }

    /** Forgets everything buffered and offered here (the partition moved away, or was reset). */
    void release() {
        buffer.clear();
        buffered(-bufferedBytes);
        offered(-pending.bytes(), -pending.size());
        pending.clear();
    }

    /**
     * Moves the group's position here, as a client asked: everything fetched or offered is forgotten, and the fetches
     * of the old position are fenced off by {@code newEpoch}, the epoch of the seek the poll thread is asked for.
     */
    void reset(long offset, String metadata, long newEpoch) {
        tracker.reset(offset, metadata);
        release();
        nextFetched = offset;
        epoch = newEpoch;
        moved = true;
        commits = new CommitProgress(null);
    }

    /** What to commit now, or null when Kafka holds it already or a commit is on its way. */
    OffsetAndMetadata commitDue() {
        return commits.due(commitPoint());
    }

    /** Kafka answered the periodic commit of {@code point}. */
    void commitAnswered(OffsetAndMetadata point, boolean committed) {
        commits.answered(point, committed);
    }

    OffsetAndMetadata commitPoint() {
        return new OffsetAndMetadata(tracker.committed(), tracker.metadata());
    }

    private void buffered(long delta) {
        bufferedBytes += delta;
        stats.bufferedBytes.addAndGet(delta);
    }

    private void offered(long bytes, int count) {
        if (bytes != 0) {
            stats.offeredBytes.addAndGet(bytes);
        }
        if (count != 0) {
            stats.pendingAcks.addAndGet(count);
        }
    }
}
