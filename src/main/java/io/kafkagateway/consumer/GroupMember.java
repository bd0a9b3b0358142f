package io.kafkagateway.consumer;

import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.OffsetSetting;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This gateway's member of one consumer group, on Kafka's group coordinator. Subscribes to the topics requested for
 * the group, hands out fetched messages to parked consume requests, tracks acknowledgements, offers unacknowledged
 * messages again after {@code ack_timeout}, commits offsets with the acknowledged ranges, and leaves topics nobody
 * asks for. Confined to the consumer engine's event loop; the Kafka consumer itself runs in {@link ConsumerDriver}.
 */
final class GroupMember implements ConsumerDriver.Events {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);
    /** How often waiting requests are checked against redeliveries that came due, and topics against expiry. */
    private static final long SWEEP_MILLIS = 50;

    private final String cluster;
    private final String group;
    private final ConsumerSettings settings;
    private final InitialOffset defaultInitialOffset;
    private final Vertx vertx;
    private final Context context;
    private final Map<String, TopicSubscription> topics = new HashMap<>();
    private final Map<TopicPartition, PartitionState> owned = new HashMap<>();
    /** Where each topic starts when the group never committed; read by the poll thread. */
    private final Map<String, InitialOffset> initialOffsets = new ConcurrentHashMap<>();
    private final Runnable onIdle;
    private final ConsumerStats stats;
    private ConsumerDriver driver;
    private final FlowControl flow;
    private long sweepTimer = -1;
    private long commitTimer = -1;
    private boolean closed;

    GroupMember(String cluster, String group, ConsumerSettings settings, ConsumerStats stats, Vertx vertx, Context context,
                Runnable onIdle) {
        this.cluster = cluster;
        this.stats = stats;
        this.group = group;
        this.settings = settings;
        this.defaultInitialOffset = settings.initialOffset();
        this.vertx = vertx;
        this.context = context;
        this.onIdle = onIdle;
        this.flow = new FlowControl(settings.fetchMaxBytes());
    }

    FlowControl flow() {
        return flow;
    }

    /** Where a topic starts when the group has no committed offset; the poll thread asks. */
    InitialOffset initialOffset(String topic) {
        return initialOffsets.getOrDefault(topic, defaultInitialOffset);
    }

    void start(ConsumerDriver driver) {
        this.driver = driver;
        driver.start();
        sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
        commitTimer = vertx.setPeriodic(settings.offsetsCommitInterval().toMillis(), id -> commit());
    }

    boolean consumes(String topic) {
        return topics.containsKey(topic);
    }

    Future<ConsumedBatch> consume(ConsumeRequest request) {
        if (closed) {
            return Future.failedFuture(GatewayException.unavailable("the gateway is shutting down"));
        }
        long now = System.nanoTime();
        TopicSubscription subscription = subscribe(request.topic(), request.initialOffset(), now);
        subscription.lastRequestNanos = now;
        if (request.ackMode() == AckMode.EXPLICIT) {
            ackFromConsume(request);
        }
        dropAbandoned(subscription);
        if (subscription.waiters.size() >= settings.channelBufferSize()) {
            return Future.failedFuture(GatewayException.throttled("too many requests: " + subscription.waiters.size()
                    + " consume requests already wait for group " + group + ", topic " + request.topic()
                    + " (consumer.channel_buffer_size)"));
        }
        Waiter waiter = new Waiter(request, now + settings.longPollingTimeout().toNanos());
        subscription.waiters.addLast(waiter);
        stats.waiting.incrementAndGet();
        dispatch(subscription);
        armExpiry(subscription);
        return waiter.promise.future();
    }

    /** Fails the waiters at the head of the queue whose sender stopped waiting; true when there were any. */
    private boolean dropAbandoned(TopicSubscription subscription) {
        boolean dropped = false;
        while (!subscription.waiters.isEmpty() && subscription.waiters.peekFirst().request.abandonment().abandoned()) {
            unpark(subscription).promise.tryFail(GatewayException.unavailable("the client stopped waiting"));
            dropped = true;
        }
        return dropped;
    }

    /** Takes the oldest waiter off the queue. */
    private Waiter unpark(TopicSubscription subscription) {
        stats.waiting.decrementAndGet();
        return subscription.waiters.pollFirst();
    }

    /**
     * Every waiter of a topic waits the same long-polling timeout and they queue in arrival order, so their deadlines
     * only grow from head to tail: one timer, set for the head's deadline, expires them all in turn.
     */
    private void armExpiry(TopicSubscription subscription) {
        if (subscription.expiryTimer >= 0 || subscription.waiters.isEmpty()) {
            return;
        }
        long delayMillis = Math.max(1, (subscription.waiters.peekFirst().deadlineNanos - System.nanoTime() + 999_999) / 1_000_000);
        subscription.expiryTimer = vertx.setTimer(delayMillis, id -> {
            subscription.expiryTimer = -1;
            long now = System.nanoTime();
            while (!subscription.waiters.isEmpty() && subscription.waiters.peekFirst().deadlineNanos - now <= 0) {
                unpark(subscription).promise.tryFail(timeout());
            }
            armExpiry(subscription);
        });
    }

    /**
     * Acknowledges a message of a partition this member owns.
     *
     * @throws GatewayException PARTITION_NOT_OWNED when another member owns it; THROTTLING when the acknowledged ranges
     *                          are as many as Kafka can store
     */
    void ack(String topic, int partition, long offset) {
        PartitionState state = owned.get(new TopicPartition(topic, partition));
        if (state == null) {
            throw notOwned(topic, partition);
        }
        try {
            state.ack(offset);
        } catch (OffsetTracker.TooManyAcksException e) {
            throw GatewayException.throttled(e.getMessage());
        }
        TopicSubscription subscription = topics.get(topic);
        if (subscription != null && !subscription.waiters.isEmpty()) {
            dispatch(subscription);
        }
    }

    /**
     * Offers a handed-out message again at once, ahead of new ones (its stream broke before it was acknowledged). A
     * partition owned elsewhere is left to its owner's ack timeout.
     */
    void offerAgainNow(String topic, int partition, long offset) {
        PartitionState state = owned.get(new TopicPartition(topic, partition));
        if (state == null) {
            return;
        }
        state.offerAgainNow(offset, System.nanoTime());
        TopicSubscription subscription = topics.get(topic);
        if (subscription != null && !subscription.waiters.isEmpty()) {
            dispatch(subscription);
        }
    }

    static GatewayException notOwned(String topic, int partition) {
        return new GatewayException(ErrorCode.PARTITION_NOT_OWNED, "partition " + partition + " of " + topic
                + " is not consumed by this gateway for the group (it moved, or was never here); the message will be"
                + " offered again by the partition's owner");
    }

    /** An acknowledgement riding on a consume request: a partition that moved away is not an error for the consume. */
    private void ackFromConsume(ConsumeRequest request) {
        try {
            ack(request.topic(), request.ackPartition(), request.ackOffset());
        } catch (GatewayException e) {
            LOG.atDebug().addKeyValue("group", group).addKeyValue("topic", request.topic())
                    .addKeyValue("partition", request.ackPartition()).addKeyValue("error", e.getMessage())
                    .log("acknowledgement with a consume request not recorded");
        }
    }

    private TopicSubscription subscribe(String topic, InitialOffset initialOffset, long now) {
        TopicSubscription subscription = topics.get(topic);
        if (subscription == null) {
            InitialOffset start = initialOffset == null ? defaultInitialOffset : initialOffset;
            subscription = new TopicSubscription(topic, start, now);
            initialOffsets.put(topic, start);
            topics.put(topic, subscription);
            driver.subscribe(topics.keySet());
            LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", topic)
                    .log("subscribed");
        }
        return subscription;
    }

    private void dispatch(TopicSubscription subscription) {
        long now = System.nanoTime();
        while (!subscription.waiters.isEmpty()) {
            if (dropAbandoned(subscription)) {
                continue;
            }
            Waiter waiter = subscription.waiters.peekFirst();
            if (waiter.deadlineNanos - now <= 0) {
                unpark(subscription);
                waiter.promise.tryFail(timeout());
                continue;
            }
            TopicSubscription.Delivery delivery = subscription.next(now, settings);
            if (delivery == null) {
                return;
            }
            unpark(subscription);
            List<ConsumedMessage> batch = new ArrayList<>(Math.min(waiter.request.maxMessages(), 64));
            batch.add(hand(waiter, delivery, now));
            while (batch.size() < waiter.request.maxMessages() && (delivery = subscription.next(now, settings)) != null) {
                batch.add(hand(waiter, delivery, now));
            }
            // What the partitions now hold, for the poll thread's backpressure: once per batch, not per message.
            for (PartitionState partition : subscription.partitions) {
                flow.buffered(partition.partition(), partition.bufferedBytes());
            }
            waiter.promise.tryComplete(new ConsumedBatch(batch));
        }
    }

    private ConsumedMessage hand(Waiter waiter, TopicSubscription.Delivery delivery, long now) {
        PartitionState partition = delivery.partition();
        ConsumerRecord<byte[], byte[]> record = delivery.record();
        long ackDeadline = now + settings.ackTimeout().toNanos();
        if (waiter.request.ackMode() == AckMode.AUTO) {
            // Acknowledged as it is handed out: a new message is never offered, so nothing waits for its ack timeout.
            try {
                partition.ack(record.offset());
            } catch (OffsetTracker.TooManyAcksException e) {
                if (!delivery.retry()) {
                    partition.offer(record, ackDeadline);
                }
                LOG.atWarn().addKeyValue("group", group).addKeyValue("partition", partition.partition().toString())
                        .log("auto-ack not recorded: too many acknowledged ranges; the message will be offered again");
            }
        } else if (!delivery.retry()) {
            partition.offer(record, ackDeadline);
        }
        return ConsumedMessage.of(record);
    }

    private static GatewayException timeout() {
        return new GatewayException(ErrorCode.REQUEST_TIMED_OUT, "long polling timeout");
    }

    /** Serves requests with redeliveries that came due, and leaves topics nobody asked for. */
    private void sweep() {
        long now = System.nanoTime();
        List<String> expired = new ArrayList<>();
        for (TopicSubscription subscription : topics.values()) {
            if (!subscription.waiters.isEmpty()) {
                dispatch(subscription);
                continue;
            }
            long idle = now - subscription.lastRequestNanos;
            if (idle >= settings.subscriptionTimeout().toNanos()
                    && (!subscription.hasUnacked() || idle >= settings.ackTimeout().toNanos())) {
                expired.add(subscription.topic);
            }
        }
        if (!expired.isEmpty()) {
            unsubscribe(expired);
        }
    }

    private void unsubscribe(List<String> expired) {
        expired.forEach(topic -> {
            topics.remove(topic);
            initialOffsets.remove(topic);
            LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", topic)
                    .log("unsubscribed: no requests for consumer.subscription_timeout");
        });
        commit();
        if (topics.isEmpty()) {
            onIdle.run();
        } else {
            driver.subscribe(topics.keySet());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> changed = new HashMap<>();
        owned.forEach((partition, state) -> {
            OffsetAndMetadata offset = state.commitIfChanged();
            if (offset != null) {
                changed.put(partition, offset);
            }
        });
        driver.commit(changed);
    }

    /**
     * Moves the group in the partitions of {@code topic} this member owns, at once (what is buffered or offered
     * there is forgotten), then commits every given offset through this member.
     */
    Future<Void> setOffsets(String topic, List<OffsetSetting> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (OffsetSetting setting : offsets) {
            TopicPartition partition = new TopicPartition(topic, setting.partition());
            String metadata = setting.metadata() == null ? "" : setting.metadata();
            PartitionState state = owned.get(partition);
            if (state != null) {
                try {
                    state.reset(setting.offset(), metadata);
                } catch (IllegalArgumentException notSparseAcks) {
                    state.reset(setting.offset(), "");
                }
                flow.buffered(partition, 0);
                driver.seek(partition, setting.offset());
            }
            commit.put(partition, new OffsetAndMetadata(setting.offset(), metadata));
        }
        return Future.fromCompletionStage(driver.commitAndWait(commit), context);
    }

    /** Refuses the requests waiting here (the gateway is stopping); acknowledgements are still taken. */
    void drain() {
        topics.values().forEach(subscription -> {
            while (!subscription.waiters.isEmpty()) {
                unpark(subscription).promise.tryFail(GatewayException.unavailable("the gateway is shutting down"));
            }
            if (subscription.expiryTimer >= 0) {
                vertx.cancelTimer(subscription.expiryTimer);
                subscription.expiryTimer = -1;
            }
        });
    }

    /** Commits what was acknowledged and leaves the group, within {@code timeout}. */
    Future<Void> close(Duration timeout) {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        drain();
        vertx.cancelTimer(sweepTimer);
        vertx.cancelTimer(commitTimer);
        Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>();
        owned.forEach((partition, state) -> {
            last.put(partition, state.commitPoint());
            state.release();
        });
        owned.clear();
        topics.clear();
        LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).log("leaving the group");
        return Future.fromCompletionStage(driver.close(last, timeout), context);
    }

    // --- Events from the poll thread, handed to the event loop ---

    @Override
    public void assigned(List<ConsumerDriver.Assigned> partitions) {
        context.runOnContext(v -> partitions.forEach(this::own));
    }

    private void own(ConsumerDriver.Assigned assigned) {
        TopicPartition partition = assigned.partition();
        TopicSubscription subscription = topics.get(partition.topic());
        if (closed || subscription == null) {
            return;
        }
        OffsetTracker tracker = tracker(assigned);
        PartitionState state = new PartitionState(group, stats, partition, tracker, assigned.position());
        owned.put(partition, state);
        subscription.partitions.add(state);
        LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", partition.topic())
                .addKeyValue("partition", partition.partition()).addKeyValue("offset", tracker.committed())
                .log("partition assigned");
        dispatch(subscription);
    }

    private OffsetTracker tracker(ConsumerDriver.Assigned assigned) {
        OffsetAndMetadata committed = assigned.committed();
        if (committed == null) {
            return new OffsetTracker(assigned.position());
        }
        OffsetTracker tracker;
        try {
            tracker = OffsetTracker.restore(committed.offset(), committed.metadata());
        } catch (IllegalArgumentException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("partition", assigned.partition().toString())
                    .addKeyValue("error", e.getMessage())
                    .log("commit metadata is not sparse acknowledgements; resuming from the committed offset");
            tracker = new OffsetTracker(committed.offset());
        }
        if (assigned.position() > committed.offset()) {
            // The committed offset is gone (retention); Kafka starts at the earliest offset still there.
            tracker.ack(committed.offset(), assigned.position());
        }
        return tracker;
    }

    @Override
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> revoked(Collection<TopicPartition> partitions) {
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> commitPoints = new CompletableFuture<>();
        context.runOnContext(v -> commitPoints.complete(release(partitions)));
        return commitPoints;
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {
        context.runOnContext(v -> release(partitions));
    }

    private Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commitPoints = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionState state = owned.remove(partition);
            if (state == null) {
                continue;
            }
            commitPoints.put(partition, state.commitPoint());
            state.release();
            flow.forget(partition);
            TopicSubscription subscription = topics.get(partition.topic());
            if (subscription != null) {
                subscription.partitions.remove(state);
            }
            LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", partition.topic())
                    .addKeyValue("partition", partition.partition()).log("partition released");
        }
        return commitPoints;
    }

    @Override
    public void records(ConsumerRecords<byte[], byte[]> records) {
        context.runOnContext(v -> {
            Set<TopicSubscription> touched = new HashSet<>();
            for (TopicPartition partition : records.partitions()) {
                PartitionState state = owned.get(partition);
                long bytes = FlowControl.size(records.records(partition));
                if (state == null) {
                    flow.takenIn(partition, bytes, 0);
                    continue;
                }
                state.append(records.records(partition));
                flow.takenIn(partition, bytes, state.bufferedBytes());
                TopicSubscription subscription = topics.get(partition.topic());
                if (subscription != null) {
                    touched.add(subscription);
                }
            }
            touched.forEach(this::dispatch);
        });
    }
}
