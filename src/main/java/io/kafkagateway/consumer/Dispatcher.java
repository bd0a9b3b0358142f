package io.kafkagateway.consumer;

import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Hands a group's messages to the requests waiting for them, and takes the front-ends' reports of what became of
 * them.
 *
 * <p>Invariant: every message handed out is an offer with a deadline until it is acknowledged, auto-acknowledged ones
 * included. An auto-acknowledged message is acknowledged when its front-end reports it written, not when it leaves
 * here; a message whose write failed (or whose request was gone) is offered again at once; one nobody reports on is
 * offered again at its deadline. So a message is lost only if a client acknowledged it. Confined to the consumer
 * engine's event loop.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final String group;
    private final ConsumerSettings settings;
    private final FlowControl flow;
    private final Context context;
    private final Function<String, TopicSubscription> topics;

    Dispatcher(String group, ConsumerSettings settings, FlowControl flow, Context context,
               Function<String, TopicSubscription> topics) {
        this.group = group;
        this.settings = settings;
        this.flow = flow;
        this.context = context;
        this.topics = topics;
    }

    /** Answers the waiters of {@code subscription}, oldest first, while there are messages for them. */
    void dispatch(TopicSubscription subscription) {
        long now = System.nanoTime();
        Waiter waiter;
        while ((waiter = subscription.waiters.next(now)) != null) {
            TopicSubscription.Delivery delivery = subscription.next(now, settings);
            if (delivery == null) {
                return;
            }
            subscription.waiters.take();
            boolean auto = waiter.request.ackMode() == AckMode.AUTO;
            int max = waiter.request.maxMessages();
            List<ConsumedMessage> batch = new ArrayList<>(Math.min(max, 64));
            BatchReceipt receipt = new BatchReceipt(this, context, Math.min(max, 64));
            do {
                batch.add(hand(delivery, auto, now, receipt));
            } while (batch.size() < max && (delivery = subscription.next(now, settings)) != null);
            // What the partitions now hold, for the poll thread's backpressure: once per batch, not per message.
            for (PartitionState partition : subscription.partitions) {
                flow.buffered(partition.partition(), partition.bufferedBytes());
            }
            if (!waiter.promise.tryComplete(new ConsumedBatch(batch, receipt))) {
                receipt.undelivered();
            }
        }
    }

    private ConsumedMessage hand(TopicSubscription.Delivery delivery, boolean auto, long now, BatchReceipt receipt) {
        PartitionState partition = delivery.partition();
        PendingAcks.Offer offer = delivery.retry() != null
                ? partition.handOutAgain(delivery.retry(), auto)
                : partition.offer(delivery.record(), auto, now + settings.ackTimeout().toNanos());
        receipt.add(partition, offer);
        return ConsumedMessage.of(delivery.record());
    }

    /** The client of {@code receipt}'s batch is gone without acknowledging {@code messages}: offer them again now. */
    void returned(BatchReceipt receipt, List<ConsumedMessage> messages) {
        Set<String> again = new HashSet<>();
        for (ConsumedMessage message : messages) {
            for (BatchReceipt.Handed handed : receipt.handed()) {
                if (handed.offer().offset() == message.offset() && handed.partition().partition().partition() == message.partition()
                        && handed.partition().returned(handed.offer(), handed.delivery(), handed.epoch())) {
                    again.add(handed.partition().partition().topic());
                }
            }
        }
        again.forEach(this::dispatchTopic);
    }

    private void dispatchTopic(String topic) {
        TopicSubscription subscription = topics.apply(topic);
        if (subscription != null) {
            dispatch(subscription);
        }
    }

    /** A front-end reported the batch of {@code receipt} written ({@code delivered}) or not. */
    void settle(BatchReceipt receipt, boolean delivered) {
        long now = System.nanoTime();
        Set<String> again = delivered ? Set.of() : new HashSet<>();
        for (BatchReceipt.Handed handed : receipt.handed()) {
            boolean notAcked = handed.partition().written(handed.offer(), handed.delivery(), handed.epoch(), delivered, now);
            if (notAcked) {
                LOG.atWarn().addKeyValue("group", group).addKeyValue("partition", handed.partition().partition().toString())
                        .log("auto-ack not recorded: too many acknowledged ranges; the message will be offered again");
            }
            if (!delivered) {
                again.add(handed.partition().partition().topic());
            }
        }
        again.forEach(this::dispatchTopic);
    }
}
