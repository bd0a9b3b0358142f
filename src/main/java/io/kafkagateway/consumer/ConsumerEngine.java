package io.kafkagateway.consumer;

import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumersQuery;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.GroupOffsets;
import io.kafkagateway.core.OffsetsQuery;
import io.kafkagateway.core.SetOffsetsRequest;
import io.kafkagateway.core.TopicConsumers;
import io.kafkagateway.core.Topics;
import io.kafkagateway.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The consumer side of one cluster: a {@link GroupMember} per consumer group asked for, created on the first request
 * and retired when its topics go idle. Free of any front-end's types, so REST, gRPC and WebSocket share it. Confined
 * to the cluster verticle's event loop.
 */
public final class ConsumerEngine {

    /** How long leaving a group (final commit and LeaveGroup) may take at shutdown or when a group goes idle. */
    static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);

    private final String cluster;
    private final ConsumerSettings settings;
    private final Vertx vertx;
    private final Context context;
    private final Function<String, Future<Void>> admitTopic;
    private final Function<String, Consumer<byte[], byte[]>> newConsumer;
    private final GroupAdmin admin;
    private final ConsumerStats stats;
    private final Map<String, Future<GroupMember>> members = new HashMap<>();
    private boolean draining;

    /**
     * @param admitTopic  succeeds when a topic may be consumed (it exists, or the brokers create topics)
     * @param newConsumer creates the Kafka consumer of a group; blocking, called on a worker
     */
    public ConsumerEngine(String cluster, ClusterConfig config, Vertx vertx, Context context, Admin admin,
                          GatewayMetrics metrics, Function<String, Future<Void>> admitTopic,
                          Function<String, Consumer<byte[], byte[]>> newConsumer) {
        this.cluster = cluster;
        this.settings = config.consumer();
        this.vertx = vertx;
        this.context = context;
        this.admitTopic = admitTopic;
        this.newConsumer = newConsumer;
        this.admin = new GroupAdmin(admin, context);
        this.stats = new ConsumerStats(cluster, metrics);
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
            Future<GroupMember> member = members.get(request.group());
            if (member == null || !member.succeeded() || !member.result().consumes(request.topic())) {
                throw GroupMember.notOwned(request.topic(), request.partition());
            }
            member.result().ack(request.topic(), request.partition(), request.offset());
            return Future.succeededFuture();
        });
    }

    /** Offers a handed-out, unacknowledged message again at once; a no-op for partitions owned elsewhere. */
    public Future<Void> offerAgainNow(AckRequest request) {
        Future<GroupMember> member = members.get(request.group());
        if (member != null && member.succeeded()) {
            member.result().offerAgainNow(request.topic(), request.partition(), request.offset());
        }
        return Future.succeededFuture();
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
            Future<GroupMember> member = members.get(request.group());
            if (member != null && member.succeeded() && member.result().consumes(request.topic())) {
                return admin.resolve(request.topic(), request.offsets())
                        .compose(resolved -> member.result().setOffsets(request.topic(), resolved));
            }
            return admin.alterOffsets(request.group(), request.topic(), request.offsets());
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

    /** Commits every group's offsets and leaves the groups. */
    public Future<Void> stop() {
        draining = true;
        List<Future<Void>> left = new ArrayList<>();
        members.values().forEach(member -> left.add(member.compose(m -> m.close(LEAVE_TIMEOUT)).recover(e -> Future.succeededFuture())));
        members.clear();
        stats.groups.set(0);
        return Future.join(left).mapEmpty();
    }

    private Future<GroupMember> member(String group) {
        Future<GroupMember> existing = members.get(group);
        if (existing != null) {
            return existing;
        }
        if (members.size() >= settings.maxGroups()) {
            return Future.failedFuture(GatewayException.throttled("too many consumer groups on cluster '" + cluster
                    + "': " + members.size() + " (consumer.max_groups)"));
        }
        GroupMember member = new GroupMember(cluster, group, settings, stats, vertx, context, () -> retire(group));
        Future<GroupMember> created = vertx.executeBlocking(() -> newConsumer.apply(group))
                .map(consumer -> {
                    member.start(new ConsumerDriver(cluster, group, consumer, member, member::initialOffset, settings.retryBackoff(),
                            member.flow()));
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

    private void retire(String group) {
        Future<GroupMember> member = members.remove(group);
        stats.groups.set(members.size());
        if (member != null && member.succeeded()) {
            member.result().close(LEAVE_TIMEOUT);
        }
    }

    private static void requireGroup(String group) {
        if (group == null || group.isEmpty()) {
            throw GatewayException.invalid("group must not be empty");
        }
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
