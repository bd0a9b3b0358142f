package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The messages of one partition that were handed out and not yet acknowledged, by offset, each with the time it is
 * offered again. An acknowledged message is removed at once, so nothing it holds outlives its acknowledgement.
 *
 * <p>Invariant: every deadline scheduled here is "now plus the ack timeout", on a monotonic clock and with one ack
 * timeout per cluster, so deadlines only grow and insertion order is deadline order: the queue is a plain insertion-
 * ordered map, with removal by offset in constant time. A message offered again at once (its client went away) does
 * not fit that order and waits in a second queue, served first. Confined to the consumer engine's event loop.
 */
final class PendingAcks {

    /** A message handed out and waiting for its acknowledgement. */
    static final class Offer {
        final ConsumerRecord<byte[], byte[]> record;
        final long bytes;
        /** Acknowledged once delivered: waits only for its write, not for the client. Set at every delivery. */
        boolean auto;
        int deliveries = 1;
        long deadlineNanos;

        Offer(ConsumerRecord<byte[], byte[]> record, boolean auto, long deadlineNanos) {
            this.record = record;
            this.bytes = FlowControl.size(record);
            this.auto = auto;
            this.deadlineNanos = deadlineNanos;
        }

        long offset() {
            return record.offset();
        }
    }

    private final LinkedHashMap<Long, Offer> byDeadline = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Offer> dueNow = new LinkedHashMap<>();
    private long bytes;
    /** Offers that wait for the client's acknowledgement, not only for their write. */
    private int awaitingClient;

    /** Tracks {@code record} as handed out; its deadline must be now plus the ack timeout (see the invariant). */
    Offer add(ConsumerRecord<byte[], byte[]> record, boolean auto, long deadlineNanos) {
        Offer offer = new Offer(record, auto, deadlineNanos);
        remove(offer.offset());
        byDeadline.put(offer.offset(), offer);
        count(offer);
        return offer;
    }

    Offer get(long offset) {
        Offer offer = byDeadline.get(offset);
        return offer != null ? offer : dueNow.get(offset);
    }

    /** Removes the offer of {@code offset}; null when there is none. */
    Offer remove(long offset) {
        Offer offer = byDeadline.remove(offset);
        if (offer == null) {
            offer = dueNow.remove(offset);
        }
        if (offer != null) {
            forget(offer);
        }
        return offer;
    }

    /** Makes {@code offset}'s offer due at once, ahead of the others. */
    void dueAtOnce(long offset) {
        Offer offer = byDeadline.remove(offset);
        if (offer != null) {
            dueNow.put(offset, offer);
        }
    }

    /** The first offer due by {@code nowNanos}, taken off the queues (the caller schedules or drops it), or null. */
    Offer takeDue(long nowNanos) {
        Offer offer = first(dueNow);
        if (offer != null) {
            dueNow.remove(offer.offset());
            return offer;
        }
        offer = first(byDeadline);
        if (offer != null && offer.deadlineNanos - nowNanos <= 0) {
            byDeadline.remove(offer.offset());
            return offer;
        }
        return null;
    }

    /** Puts an offer taken with {@link #takeDue} back, due at {@code deadlineNanos} (now plus the ack timeout). */
    void reschedule(Offer offer, long deadlineNanos) {
        offer.deadlineNanos = deadlineNanos;
        byDeadline.put(offer.offset(), offer);
    }

    /** Sets how {@code offer}, handed out again, is acknowledged this time. */
    void mode(Offer offer, boolean auto) {
        if (offer.auto != auto) {
            awaitingClient += auto ? -1 : 1;
            offer.auto = auto;
        }
    }

    /** Forgets an offer taken with {@link #takeDue} and not put back. */
    void dropTaken(Offer offer) {
        forget(offer);
    }

    boolean hasDue(long nowNanos) {
        if (!dueNow.isEmpty()) {
            return true;
        }
        Offer first = first(byDeadline);
        return first != null && first.deadlineNanos - nowNanos <= 0;
    }

    boolean isEmpty() {
        return byDeadline.isEmpty() && dueNow.isEmpty();
    }

    int size() {
        return byDeadline.size() + dueNow.size();
    }

    /** Offers waiting for the client's acknowledgement (what {@code max_pending_messages} bounds). */
    int awaitingClient() {
        return awaitingClient;
    }

    /** Bytes of the records held for a redelivery. */
    long bytes() {
        return bytes;
    }

    void clear() {
        byDeadline.clear();
        dueNow.clear();
        bytes = 0;
        awaitingClient = 0;
    }

    private void count(Offer offer) {
        bytes += offer.bytes;
        if (!offer.auto) {
            awaitingClient++;
        }
    }

    private void forget(Offer offer) {
        bytes -= offer.bytes;
        if (!offer.auto) {
            awaitingClient--;
        }
    }

    private static Offer first(LinkedHashMap<Long, Offer> queue) {
        Iterator<Offer> it = queue.values().iterator();
        return it.hasNext() ? it.next() : null;
    }
}
