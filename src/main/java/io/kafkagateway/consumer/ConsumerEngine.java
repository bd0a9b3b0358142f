package io.kafkagateway.consumer;

import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumersQuery;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.GroupOffsets;
import io.kafkagateway.core.Groups;
import io.kafkagateway.core.OffsetSetting;
import io.kafkagateway.core.OffsetsQuery;
import io.kafkagateway.core.PositionCommit;
import io.kafkagateway.core.SetOffsetsRequest;
import io.kafkagateway.core.TopicConsumers;
import io.kafkagateway.core.Topics;
import io.kafkagateway.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The consumer side of one cluster: a {@link GroupMember} per consumer group asked for, created on the first request
 * and retired when its topics go idle, all within one memory budget. Two timers serve every group: a sweep (due
 * redeliveries, and now and then idle topics) and the periodic commit. Free of any front-end's types, so REST, gRPC
 * and WebSocket share it. Confined to the cluster verticle's event loop.
 */
public final class ConsumerEngine {

    /** How long leaving a group (final commit and LeaveGroup) may take at shutdown or when a group goes idle. */
    static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);
    /** How often waiting requests are checked against redeliveries that came due. */
    static final long SWEEP_MILLIS = 50;
    /** Idle topics are looked for every this many sweeps (a second). */
    private static final int EXPIRY_SWEEPS = 20;
    /** How long a revocation waits for this event loop's commit points. */
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

    private final String cluster;
    private final ConsumerSettings settings;
    private final Vertx vertx;
    private final Context context;
    private final Function<String, Future<Void>> admitTopic;
    private final Function<String, Consumer<byte[], byte[]>> newConsumer;
    private final boolean leaveOnShutdown;
    private final Peers peers;
    private final GroupAdmin admin;
    private final ConsumerStats stats;
    private final MemoryBudget budget;
    private final Map<String, Future<GroupMember>> members = new HashMap<>();
    /** Members closing: a new member of the group waits for its predecessor (same static instance id) to leave. */
    private final Map<String, Future<Void>> leaving = new HashMap<>();
    private final long sweepTimer;
    private final long commitTimer;
    private long sweeps;
    private boolean draining;

    /**
     * @param admitTopic      succeeds when a topic may be consumed (it exists, or the brokers create topics)
     * @param newConsumer     creates the Kafka consumer of a group; blocking, called on a worker
     * @param leaveOnShutdown whether stopping leaves the groups (their partitions move at once) or keeps this static
     *                        member in them for the session timeout (a restart within it moves nothing)
     */
    public ConsumerEngine(String cluster, ClusterConfig config, Vertx vertx, Context context, Admin admin,
                          GatewayMetrics metrics, Function<String, Future<Void>> admitTopic,
                          Function<String, Consumer<byte[], byte[]>> newConsumer, boolean leaveOnShutdown, Peers peers) {
        this.cluster = cluster;
        this.settings = config.consumer();
        this.vertx = vertx;
        this.context = context;
        this.admitTopic = admitTopic;
        this.newConsumer = newConsumer;
        this.leaveOnShutdown = leaveOnShutdown;
        this.peers = peers;
        this.admin = new GroupAdmin(admin, context);
        this.stats = new ConsumerStats(cluster, metrics);
        this.budget = new MemoryBudget(settings.maxMemoryBytes(), stats);
        this.sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
        this.commitTimer = vertx.setPeriodic(settings.offsetsCommitInterval().toMillis(), id -> commit());
    }

    public Future<ConsumedBatch> consume(ConsumeRequest request) {
        return checked(() -> {
            if (settings.disabled()) {
                throw GatewayException.unavailable("consuming from cluster '" + cluster + "' is disabled (consumer.disabled)");
            }
            if (draining) {
                throw GatewayException.unavailable("the gateway is shutting down");
            }
            Topics.validate(request.topic());
            requireGroup(request.group());
            Future<Void> admitted = admitTopic.apply(request.topic());
            if (!admitted.succeeded()) {
                return admitted.compose(ok -> member(request.group())).compose(member -> member.consume(request));
            }
            // The usual case, a known topic and a joined group: no stage between the bus and the parked waiter.
            Future<GroupMember> member = member(request.group());
            return member.succeeded() ? member.result().consume(request) : member.compose(m -> m.consume(request));
        });
    }

    public Future<Void> ack(AckRequest request) {
        return checked(() -> {
            Topics.validate(request.topic());
            requireGroup(request.group());
            GroupMember member = consuming(request.group(), request.topic());
            if (member != null && member.ackIfOwned(request.topic(), request.partition(), request.offset())) {
                return Future.succeededFuture();
            }
            // Owned by another gateway (passed to it), or by nobody at this moment.
            TopicPartition partition = new TopicPartition(request.topic(), request.partition());
            return peers.ack(request.group(), partition, request.offset()).recover(failure -> {
                if (!Peers.noOwner(failure)) {
                    return Future.failedFuture(failure);
                }
                if (member != null) {
                    member.notOwned(request.topic(), request.partition(), "ack");
                } else {
                    stats.acksNotOwned.incrementAndGet();
                }
                return Future.failedFuture(NotOwned.error(request.topic(), request.partition()));
            });
        });
    }

    public Future<GroupOffsets> offsets(OffsetsQuery query) {
        return checked(() -> {
            Topics.validate(query.topic());
            requireGroup(query.group());
            return admin.offsets(query.group(), query.topic());
        });
    }

    /**
     * Moves a group's offsets. When this gateway consumes the topic for the group, the move takes effect at once in
     * the partitions it owns and is committed through its member; otherwise Kafka's admin API moves them.
     */
    public Future<Void> setOffsets(SetOffsetsRequest request) {
        return checked(() -> {
            Topics.validate(request.topic());
            requireGroup(request.group());
            GroupMember member = consuming(request.group(), request.topic());
            if (member != null) {
                return admin.resolve(request.topic(), request.offsets())
                        .compose(resolved -> member.setOffsets(request.topic(), resolved));
            }
            if (!peers.clustered()) {
                return admin.alterOffsets(request.group(), request.topic(), request.offsets());
            }
            // Each partition's owner among the gateways moves it; those nobody here owns are moved through Kafka.
            return admin.resolve(request.topic(), request.offsets()).compose(resolved -> {
                List<OffsetSetting> unowned = new ArrayList<>();
                List<Future<Void>> moved = new ArrayList<>();
                for (OffsetSetting setting : resolved) {
                    moved.add(peers.setOffset(request.group(), request.topic(), setting).recover(failure -> {
                        if (failure == Peers.NO_OWNER) {
                            unowned.add(setting);
                            return Future.succeededFuture();
                        }
                        return Future.failedFuture(failure);
                    }));
                }
                return Future.all(moved).compose(ok -> unowned.isEmpty() ? Future.succeededFuture()
                        : admin.alterOffsets(request.group(), request.topic(), unowned));
            });
        });
    }

    /**
     * Commits a position a client keeps itself (kafka-proxy sockets), through Kafka's admin API. Refused for a group
     * this engine consumes: its member's acknowledgements, not the socket, decide that group's offsets.
     */
    public Future<Void> commitPosition(PositionCommit position) {
        return checked(() -> {
            Topics.validate(position.topic());
            requireGroup(position.group());
            if (consuming(position.group(), position.topic()) != null) {
                throw new GatewayException(ErrorCode.NON_EMPTY_GROUP, "group " + position.group() + " consumes "
                        + position.topic() + " through this gateway's consumer groups (REST, gRPC or the native"
                        + " WebSocket dialect); give kafka-proxy sockets a group of their own");
            }
            return admin.alterOffsets(position.group(), position.topic(),
                    List.of(new OffsetSetting(position.partition(), position.offset(), "")));
        });
    }

    public Future<TopicConsumers> consumers(ConsumersQuery query) {
        return checked(() -> {
            Topics.validate(query.topic());
            if (query.group() != null) {
                requireGroup(query.group());
            }
            return admin.consumers(query.group(), query.topic());
        });
    }

    /** Stops taking consume requests (503) and answers the waiting ones; acknowledgements are still taken. */
    public void drain() {
        draining = true;
        members.values().stream().filter(Future::succeeded).forEach(member -> member.result().drain());
    }

    /** Commits every group's offsets and closes their consumers (leaving the groups unless told to stay). */
    public Future<Void> stop() {
        draining = true;
        vertx.cancelTimer(sweepTimer);
        vertx.cancelTimer(commitTimer);
        List<Future<Void>> left = new ArrayList<>(leaving.values());
        members.values().forEach(member -> left.add(member.compose(m -> m.close(LEAVE_TIMEOUT, leaveOnShutdown))
                .recover(e -> Future.succeededFuture())));
        members.clear();
        stats.groups.set(0);
        return Future.join(left).mapEmpty();
    }

    /** The member of {@code group} when it consumes {@code topic} here; null otherwise. */
    private GroupMember consuming(String group, String topic) {
        Future<GroupMember> member = members.get(group);
        return member != null && member.succeeded() && member.result().consumes(topic) ? member.result() : null;
    }

    private void sweep() {
        long now = System.nanoTime();
        boolean expire = ++sweeps % EXPIRY_SWEEPS == 0;
        for (Future<GroupMember> member : List.copyOf(members.values())) {
            if (member.succeeded()) {
                member.result().sweep(now, expire);
            }
        }
    }

    private void commit() {
        members.values().forEach(member -> {
            if (member.succeeded()) {
                member.result().commit();
            }
        });
    }

    private Future<GroupMember> member(String group) {
        Future<GroupMember> existing = members.get(group);
        if (existing != null) {
            return existing;
        }
        Future<Void> predecessor = leaving.get(group);
        if (predecessor != null) {
            return predecessor.transform(done -> member(group));
        }
        if (members.size() >= settings.maxGroups()) {
            return Future.failedFuture(GatewayException.throttled("too many consumer groups on cluster '" + cluster
                    + "': " + members.size() + " (consumer.max_groups)"));
        }
        if (budget.exhausted()) {
            return Future.failedFuture(GatewayException.throttled("the gateway holds its whole consumer memory budget on"
                    + " cluster '" + cluster + "' (consumer.max_memory_bytes: " + budget.limitBytes()
                    + "); no new group is joined until messages are acknowledged"));
        }
        GroupMember member = new GroupMember(cluster, group, settings, stats, budget, vertx, context, () -> retire(group),
                failure -> retire(group), peers);
        Future<GroupMember> created = vertx.executeBlocking(() -> newConsumer.apply(group))
                .map(consumer -> {
                    member.start(new ConsumerDriver(cluster, group, consumer, member, member::initialOffset,
                            settings.retryBackoff(), REVOKE_WAIT, member.flow(), member.epochs()));
                    return member;
                });
        members.put(group, created);
        stats.groups.set(members.size());
        created.onFailure(failure -> {
            members.remove(group, created);
            stats.groups.set(members.size());
        });
        return created;
    }

    /**
     * A group whose topics all went idle, or whose consumer stopped: its partitions go to the other members at once. A
     * new member for the group waits until this one has left.
     */
    private void retire(String group) {
        Future<GroupMember> member = members.remove(group);
        stats.groups.set(members.size());
        if (member != null && member.succeeded()) {
            Future<Void> left = member.result().close(LEAVE_TIMEOUT, true).recover(e -> Future.succeededFuture());
            leaving.put(group, left);
            left.onComplete(done -> leaving.remove(group, left));
        }
    }

    private static void requireGroup(String group) {
        Groups.validate(group);
    }

    private static <T> Future<T> checked(Supplier<Future<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            // A gateway error is the client's answer; anything else still answers (as an unexpected server error,
            // logged by the bus reply) rather than escaping the bus handler and leaving the request to time out.
            return Future.failedFuture(e);
        }
    }
}
