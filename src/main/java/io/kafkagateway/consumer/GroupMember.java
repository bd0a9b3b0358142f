package io.kafkagateway.consumer;

import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.OffsetSetting;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This gateway's member of one consumer group, on Kafka's group coordinator: it takes the group's requests (consume,
 * acknowledge, move) and wires together the topics it consumes ({@link GroupTopics}), the partitions it owns
 * ({@link OwnedPartitions}), the hand-out to waiting requests ({@link Dispatcher}) and the periodic commit
 * ({@link Commits}); the Kafka consumer itself runs behind a {@link GroupDriver}. Confined to the consumer engine's
 * event loop.
 */
final class GroupMember implements GroupDriver.Events {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);

    private final String cluster;
    private final String group;
    private final ConsumerSettings settings;
    private final Context context;
    private final ConsumerStats stats;
    private final MemoryBudget budget;
    private final FlowControl flow;
    private final GroupTopics topics;
    private final Dispatcher dispatcher;
    private final OwnedPartitions owned;
    private final Commits commits;
    private final AtomicLong epochs = new AtomicLong();
    private final Runnable onIdle;
    private GroupDriver driver;
    private final NotOwned notOwned;
    private final java.util.function.Consumer<Throwable> onFailure;
    private final Vertx vertx;
    private boolean closed;
    private Map<TopicPartition, OffsetAndMetadata> closingPoints = Map.of();
    private final Peers peers;
    private final PeerClaims claims;
    private final PeerRouting routing;

    /**
     * @param onIdle    called when the member's topics all went idle
     * @param onFailure called when its Kafka consumer can no longer serve (it stopped, or was fenced)
     */
    GroupMember(String cluster, String group, ConsumerSettings settings, ConsumerStats stats, MemoryBudget budget,
                Vertx vertx, Context context, Runnable onIdle, java.util.function.Consumer<Throwable> onFailure, Peers peers) {
        this.cluster = cluster;
        this.group = group;
        this.settings = settings;
        this.stats = stats;
        this.budget = budget;
        this.context = context;
        this.vertx = vertx;
        this.onIdle = onIdle;
        this.onFailure = onFailure;
        this.flow = new FlowControl(settings.fetchMaxBytes(), budget);
        this.topics = new GroupTopics(group, settings, vertx, stats);
        this.dispatcher = new Dispatcher(group, settings, flow, context, topics::get);
        this.owned = new OwnedPartitions(cluster, group, stats, flow, topics, this::restarted);
        this.commits = new Commits(context, owned);
        this.notOwned = new NotOwned(cluster, group, stats);
        this.peers = peers;
        this.claims = new PeerClaims(group, peers, this);
        this.routing = new PeerRouting(peers, this::park, () -> closed, vertx);
    }

    FlowControl flow() {
        return flow;
    }

    /** Where partition epochs come from; the driver takes one for every assignment, this member one for every seek. */
    AtomicLong epochs() {
        return epochs;
    }

    /** Where a topic starts when the group has no committed offset; the poll thread asks. */
    InitialOffset initialOffset(String topic) {
        return topics.initialOffset(topic);
    }

    void start(GroupDriver driver) {
        this.driver = driver;
        driver.start();
    }

    boolean consumes(String topic) {
        return topics.get(topic) != null;
    }

    Future<ConsumedBatch> consume(ConsumeRequest request) {
        if (closed) {
            return Future.failedFuture(GatewayException.unavailable("the gateway is shutting down"));
        }
        long now = System.nanoTime();
        TopicSubscription subscription = subscription(request.topic(), request.initialOffset(), now);
        subscription.lastRequestNanos = now;
        if (request.ackMode() == AckMode.EXPLICIT) {
            ackFromConsume(request);
        }
        long deadline = now + settings.longPollingTimeout().toNanos();
        if (routing.strandedHere(subscription)) {
            return routing.forward(request, subscription, deadline);
        }
        Waiter waiter;
        try {
            waiter = park(request, subscription, now, deadline);
        } catch (GatewayException tooMany) {
            return Future.failedFuture(tooMany);
        }
        Future<ConsumedBatch> here = waiter.promise.future();
        if (!here.isComplete() && routing.clustered()) {
            routing.probeLater(waiter, subscription);
        }
        return here;
    }

    /**
     * Takes messages for a gateway that owns no partition of the topic: parked here at most {@code wait}, never
     * passed on again.
     */
    Future<ConsumedBatch> consumeForPeer(ConsumeRequest request, Duration wait) {
        if (closed) {
            return Future.failedFuture(GatewayException.unavailable("the gateway is shutting down"));
        }
        TopicSubscription subscription = topics.get(request.topic());
        return subscription == null ? Future.succeededFuture(null) : routing.serve(request, subscription, wait);
    }

    /**
     * Parks {@code request} until {@code deadlineNanos}, after serving it at once if messages are ready; the waiter's
     * promise is complete when it was served or refused.
     *
     * @throws GatewayException THROTTLING when {@code consumer.channel_buffer_size} requests wait already
     */
    private Waiter park(ConsumeRequest request, TopicSubscription subscription, long now, long deadlineNanos) {
        int waiting = subscription.waiters.live(now);
        if (waiting >= settings.channelBufferSize()) {
            throw GatewayException.throttled("too many requests: " + waiting
                    + " consume requests already wait for group " + group + ", topic " + request.topic()
                    + " (consumer.channel_buffer_size)");
        }
        Waiter waiter = subscription.waiters.park(request, deadlineNanos);
        if (deadlineNanos - now < settings.longPollingTimeout().toNanos()) {
            // shorter than the queue's own deadlines (a peer's request): its own timer
            long timer = vertx.setTimer(Math.max(1, (deadlineNanos - now) / 1_000_000), id -> {
                if (subscription.waiters.remove(waiter)) {
                    waiter.promise.tryFail(WaitQueue.timeout());
                }
            });
            waiter.promise.future().onComplete(done -> vertx.cancelTimer(timer));
        }
        dispatcher.dispatch(subscription);
        if (!waiter.promise.future().isComplete() && budget.exhausted() && subscription.waiters.remove(waiter)) {
            // Nothing is fetched while the engine holds its whole budget: parking would only end in a timeout.
            waiter.promise.tryFail(memoryFull());
        }
        return waiter;
    }

    private GatewayException memoryFull() {
        return GatewayException.throttled("the gateway holds " + budget.heldBytes() + " bytes of fetched and"
                + " unacknowledged messages on cluster '" + cluster + "' (consumer.max_memory_bytes: " + budget.limitBytes()
                + "); acknowledge messages, or retry shortly");
    }

    private TopicSubscription subscription(String topic, InitialOffset initialOffset, long now) {
        TopicSubscription subscription = topics.get(topic);
        if (subscription == null) {
            subscription = topics.add(topic, initialOffset, now);
            owned.attach(subscription);
            driver.subscribe(topics.names());
            LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", topic)
                    .addKeyValue("idle_limit_ms", topics.idleLimitNanos(topic) / 1_000_000).log("subscribed");
        }
        return subscription;
    }

    /**
     * Acknowledges a message of a partition this member owns.
     *
     * @throws GatewayException PARTITION_NOT_OWNED when another member owns it; THROTTLING when the acknowledged ranges
     *                          are as many as Kafka can store
     */
    void ack(String topic, int partition, long offset) {
        if (!ackIfOwned(topic, partition, offset)) {
            notOwned.record(topic, partition, "ack");
            throw NotOwned.error(topic, partition);
        }
    }

    /** Counts an acknowledgement not recorded for want of an owner anywhere. */
    void notOwned(String topic, int partition, String request) {
        notOwned.record(topic, partition, request);
    }

    /**
     * Acknowledges a message of a partition this member owns; false when it does not own it.
     *
     * @throws GatewayException THROTTLING when the acknowledged ranges are as many as Kafka can store
     */
    boolean ackIfOwned(String topic, int partition, long offset) {
        PartitionState state = owned.get(new TopicPartition(topic, partition));
        if (state == null) {
            return false;
        }
        try {
            if (!state.ack(offset)) {
                LOG.atDebug().addKeyValue("group", group).addKeyValue("topic", topic).addKeyValue("partition", partition)
                        .addKeyValue("offset", offset)
                        .log("acknowledgement of a message handed out before the group was moved; it is delivered again");
            }
        } catch (OffsetTracker.TooManyAcksException e) {
            throw GatewayException.throttled(e.getMessage());
        }
        TopicSubscription subscription = topics.get(topic);
        if (subscription != null && !subscription.waiters.isEmpty()) {
            dispatcher.dispatch(subscription);
        }
        return true;
    }

    /** An acknowledgement riding on a consume request: a partition that moved away is not an error for the consume. */
    private void ackFromConsume(ConsumeRequest request) {
        try {
            if (!ackIfOwned(request.topic(), request.ackPartition(), request.ackOffset())) {
                TopicPartition partition = new TopicPartition(request.topic(), request.ackPartition());
                peers.ack(group, partition, request.ackOffset()).onFailure(failure -> {
                    if (Peers.noOwner(failure)) {
                        notOwned.record(request.topic(), request.ackPartition(), "ack with a consume");
                    }
                });
            }
        } catch (GatewayException e) {
            LOG.atDebug().addKeyValue("group", group).addKeyValue("topic", request.topic())
                    .addKeyValue("partition", request.ackPartition()).addKeyValue("error", e.getMessage())
                    .log("acknowledgement with a consume request not recorded");
        }
    }

    /** Serves requests with redeliveries that came due; with {@code expire}, leaves topics nobody asked for. */
    void sweep(long now, boolean expire) {
        for (TopicSubscription subscription : topics.all()) {
            if (!subscription.waiters.isEmpty()) {
                dispatcher.dispatch(subscription);
            }
        }
        if (!expire) {
            return;
        }
        List<String> expired = topics.expired(now);
        if (expired.isEmpty()) {
            return;
        }
        expired.forEach(topic -> {
            topics.leave(topic, now);
            LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", topic)
                    .log("unsubscribed: no requests for the topic's idle limit");
        });
        commit();
        if (topics.isEmpty()) {
            onIdle.run();
        } else {
            driver.subscribe(topics.names());
        }
    }

    /** Sends the commit points that changed or were never confirmed; a failed commit is sent again next time. */
    void commit() {
        commits.commit(driver);
    }

    /**
     * Moves the group in the partitions of {@code topic} this member owns, at once (what is buffered or offered there
     * is forgotten, and what was fetched from the old position is fenced off), then commits every given offset
     * through this member.
     */
    Future<Void> setOffsets(String topic, List<OffsetSetting> offsets) {
        return setOffsets(topic, offsets, true);
    }

    /** {@code forward}: partitions owned elsewhere are moved by their owners (false for a peer's request). */
    Future<Void> setOffsets(String topic, List<OffsetSetting> offsets, boolean forward) {
        if (closed) {
            return Future.failedFuture(GatewayException.unavailable("the group's member here is closing; try again"));
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        List<Future<Void>> elsewhere = new java.util.ArrayList<>();
        for (OffsetSetting setting : offsets) {
            TopicPartition partition = new TopicPartition(topic, setting.partition());
            PartitionState state = owned.get(partition);
            if (state == null && forward && peers.clustered()) {
                // its owner moves it (and commits it through its member); nobody owning it: committed here
                elsewhere.add(peers.setOffset(group, topic, setting).recover(failure -> failure == Peers.NO_OWNER
                        ? commitHere(partition, setting) : Future.failedFuture(failure)));
                continue;
            }
            if (state != null) {
                long epoch = epochs.incrementAndGet();
                // The seek applies only to the assignment this state belongs to; one that replaced it meanwhile
                // starts from the offset committed below instead.
                if (!driver.seek(partition, setting.offset(), state.epoch(), epoch)) {
                    return Future.failedFuture(GatewayException.unavailable("the group's Kafka consumer is busy; try again"));
                }
                try {
                    state.reset(setting.offset(), setting.metadataOrEmpty(), epoch);
                } catch (IllegalArgumentException notSparseAcks) {
                    state.reset(setting.offset(), "", epoch);
                }
                flow.buffered(partition, 0);
                commits.forget(List.of(partition));
            }
            commit.put(partition, new OffsetAndMetadata(setting.offset(), setting.metadataOrEmpty()));
        }
        // Partitions another member owns (outside this gateway's cluster, or between owners) are committed here too.
        Future<Void> here = commit.isEmpty() ? Future.succeededFuture()
                : Future.fromCompletionStage(driver.commitAndWait(commit), context);
        elsewhere.add(here);
        return Future.all(elsewhere).mapEmpty();
    }

    private Future<Void> commitHere(TopicPartition partition, OffsetSetting setting) {
        return Future.fromCompletionStage(driver.commitAndWait(Map.of(partition,
                new OffsetAndMetadata(setting.offset(), setting.metadataOrEmpty()))), context);
    }

    /** Refuses the requests waiting here (the gateway is stopping); acknowledgements are still taken. */
    void drain() {
        topics.all().forEach(subscription -> subscription.waiters.refuseAll(GatewayException.unavailable("the gateway is shutting down")));
    }

    /**
     * Commits what was acknowledged and closes the Kafka consumer within {@code timeout}, leaving the group when
     * {@code leave} (otherwise this static member's partitions wait for it for the session timeout).
     */
    Future<Void> close(Duration timeout, boolean leave) {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        drain();
        Map<TopicPartition, OffsetAndMetadata> last = owned.releaseAll();
        claims.releaseAll();
        closingPoints = last;
        topics.clear();
        LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("leave", leave)
                .log("closing the group member");
        return Future.fromCompletionStage(driver.close(last, timeout, leave), context);
    }

    // --- Events from the poll thread, handed to the event loop ---

    @Override
    public void assigned(List<GroupDriver.Assigned> partitions) {
        context.runOnContext(v -> partitions.forEach(this::own));
    }

    private void own(GroupDriver.Assigned assigned) {
        if (closed) {
            return;
        }
        TopicSubscription subscription = owned.own(assigned);
        claims.own(assigned.partition());
        if (subscription != null) {
            dispatcher.dispatch(subscription);
        }
    }

    @Override
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> revoked(Collection<TopicPartition> partitions) {
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> commitPoints = new CompletableFuture<>();
        // Other gateways stop sending requests for the partitions before their commit points are taken.
        context.runOnContext(v -> claims.release(partitions)
                .onComplete(unregistered -> commitPoints.complete(release(partitions))));
        return commitPoints;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> lastSent(Collection<TopicPartition> partitions) {
        return commits.lastSent(partitions);
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {
        context.runOnContext(v -> {
            claims.release(partitions);
            release(partitions);
        });
    }

    @Override
    public void settled() {
        context.runOnContext(v -> {
            routing.settled(topics.all());
        });
    }

    private Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> partitions) {
        commits.forget(partitions);
        if (closed) {
            // Released by the close already: the revocation commits what the close would have.
            Map<TopicPartition, OffsetAndMetadata> points = new HashMap<>(closingPoints);
            points.keySet().retainAll(partitions);
            return points;
        }
        return owned.release(partitions);
    }

    @Override
    public void failed(Throwable failure) {
        context.runOnContext(v -> {
            if (!closed) {
                onFailure.accept(failure);
            }
        });
    }

    /** A partition's log moved back: what was last sent is ahead of it now, and must not be committed on revocation. */
    private void restarted(TopicPartition partition) {
        commits.forget(List.of(partition));
    }

    @Override
    public void records(GroupDriver.Fetched fetched) {
        context.runOnContext(v -> owned.take(fetched).forEach(dispatcher::dispatch));
    }
}
