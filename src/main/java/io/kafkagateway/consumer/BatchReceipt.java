package io.kafkagateway.consumer;

import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.Receipt;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The receipt of one batch handed out by a {@link Dispatcher}: which offer of which partition each message was, as
 * which delivery and in which epoch, so that a late report about an earlier delivery, or about a partition moved or
 * released since, changes nothing. The first report of the write counts, and one return of what the client left
 * unacknowledged; both are carried to the engine's event loop.
 */
final class BatchReceipt implements Receipt {

    /** One message of the batch. */
    record Handed(PartitionState partition, PendingAcks.Offer offer, int delivery, long epoch) {
    }

    private final Dispatcher dispatcher;
    private final Context context;
    private final List<Handed> handed;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean returned = new AtomicBoolean();

    BatchReceipt(Dispatcher dispatcher, Context context, int expected) {
        this.dispatcher = dispatcher;
        this.context = context;
        this.handed = new ArrayList<>(expected);
    }

    void add(PartitionState partition, PendingAcks.Offer offer) {
        handed.add(new Handed(partition, offer, offer.deliveries, partition.epoch()));
    }

    List<Handed> handed() {
        return handed;
    }

    @Override
    public void delivered() {
        settle(true);
    }

    @Override
    public void undelivered() {
        settle(false);
    }

    @Override
    public void returned(List<ConsumedMessage> messages) {
        if (!messages.isEmpty() && returned.compareAndSet(false, true)) {
            List<ConsumedMessage> copy = List.copyOf(messages);
            context.runOnContext(v -> dispatcher.returned(this, copy));
        }
    }

    private void settle(boolean delivered) {
        if (settled.compareAndSet(false, true)) {
            context.runOnContext(v -> dispatcher.settle(this, delivered));
        }
    }
}
