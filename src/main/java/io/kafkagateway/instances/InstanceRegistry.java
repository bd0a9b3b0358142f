package io.kafkagateway.instances;

import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.ConfluentSettings;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.InstanceCommand;
import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.kafka.KafkaClientProperties;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The consumer instances of one cluster (Confluent's REST Proxy model): each a member of its Kafka group with a
 * consumer and a poll thread of its own, at most {@code confluent.consumer.max_instances}, closed after
 * {@code instance_timeout} without a request. Confined to the cluster verticle's event loop; the Kafka work of each
 * instance runs on its thread ({@link InstanceCalls}).
 */
public final class InstanceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final long AUTO_COMMIT_MILLIS = 5_000;
    private static final long SWEEP_MILLIS = 1_000;

    private final String cluster;
    private final ClusterConfig config;
    private final ConfluentSettings.Consumer settings;
    private final Vertx vertx;
    private final Context context;
    private final Map<String, ConsumerInstance> instances = new HashMap<>();
    private final InstanceCalls calls;
    private final long sweepTimer;
    private final long autoCommitTimer;
    /** Clustered: each instance answers other gateways on its own address (see {@link #peerAddress}). */
    private final Map<String, MessageConsumer<Buffer>> peerHandlers = new HashMap<>();
    private int creating;
    private boolean closed;

    public InstanceRegistry(String cluster, ClusterConfig config, ConfluentSettings.Consumer settings, Vertx vertx,
                            Context context) {
        this.cluster = cluster;
        this.config = config;
        this.settings = settings;
        this.vertx = vertx;
        this.context = context;
        this.calls = new InstanceCalls(context);
        this.sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> expireIdle());
        this.autoCommitTimer = vertx.setPeriodic(AUTO_COMMIT_MILLIS, id -> autoCommit());
    }

    /**
     * Carries out {@code command}; the answer's failure is a {@link GatewayException}. Clustered, a command for an
     * instance another gateway holds is passed to it (the instance lives where it was created).
     */
    public Future<InstanceReply> handle(InstanceCommand command) {
        return handle(command, false);
    }

    private Future<InstanceReply> handle(InstanceCommand command, boolean fromPeer) {
        if (closed) {
            return Future.failedFuture(GatewayException.unavailable("the gateway is shutting down"));
        }
        if (command instanceof InstanceCommand.Create create) {
            return vertx.isClustered() ? elsewhere(create).compose(taken -> taken ? Future.failedFuture(exists()) : create(create))
                    : create(create);
        }
        ConsumerInstance instance = instances.get(key(command.group(), command.name()));
        if (instance == null) {
            return vertx.isClustered() && !fromPeer ? forward(command) : Future.failedFuture(notFound());
        }
        if (instance.failure() != null) {
            instances.remove(key(instance.group, instance.name));
            close(instance);
            return Future.failedFuture(GatewayException.unavailable("consumer instance " + instance.name
                    + " stopped on an error (" + instance.failure() + "); create it again"));
        }
        instance.touch();
        if (command instanceof InstanceCommand.Delete) {
            return delete(instance);
        }
        if (command instanceof InstanceCommand.Records records) {
            return calls.records(instance, records, settings);
        }
        return calls.run(instance, command);
    }

    private Future<InstanceReply> create(InstanceCommand.Create create) {
        String name = create.name() == null || create.name().isBlank()
                ? "rest-consumer-" + UUID.randomUUID() : create.name();
        if (!NAME.matcher(name).matches()) {
            return Future.failedFuture(GatewayException.invalid("consumer instance name '" + name
                    + "' may use only letters, digits, '.', '_' and '-' (at most 200)"));
        }
        String key = key(create.group(), name);
        if (instances.containsKey(key)) {
            return Future.failedFuture(exists());
        }
        if (instances.size() + creating >= settings.maxInstances()) {
            return Future.failedFuture(GatewayException.throttled("this gateway holds " + instances.size()
                    + " consumer instances already (confluent.consumer.max_instances); delete unused ones, or retry later"));
        }
        Map<String, Object> props = KafkaClientProperties.consumer(config, create.group(), null,
                config.clientId() + "-" + name);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, create.offsetReset());
        // One poll may take all the instance has room for (its buffer bounds the bytes), and the socket's buffer
        // grows with the fetch rather than Kafka's fixed 64 KiB.
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        props.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1");
        // What the Kafka consumer holds fetched beside the instance's own buffer: as much again, not Kafka's 50 MiB.
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Long.toString(ConsumerInstance.BUFFER_BYTES));
        if (create.fetchMinBytes() > 0) {
            props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(create.fetchMinBytes()));
        }
        long timeout = create.requestTimeoutMillis() > 0
                ? Math.min(create.requestTimeoutMillis(), settings.requestTimeout().toMillis())
                : settings.requestTimeout().toMillis();
        ConsumerInstance instance = new ConsumerInstance(create.group(), name, create.format(), create.autoCommit(), timeout,
                vertx, context);
        creating++;
        // Creating a Kafka consumer resolves the brokers' names: never on the event loop.
        return vertx.executeBlocking(() -> new KafkaConsumer<byte[], byte[]>(props)).transform(made -> {
            creating--;
            if (made.failed()) {
                return Future.failedFuture(GatewayException.from(made.cause()));
            }
            if (closed || instances.containsKey(key)) {
                made.result().close(Duration.ZERO);
                return Future.failedFuture(closed ? GatewayException.unavailable("the gateway is shutting down") : exists());
            }
            InstancePoller poller = new InstancePoller(cluster + "-" + create.group() + "-" + name, made.result(),
                    instance, instance::full, create.autoCommit() ? instance::returnedOffsets : null);
            instance.attach(poller);
            poller.start();
            instances.put(key, instance);
            LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", create.group())
                    .addKeyValue("instance", name).log("consumer instance created");
            if (!vertx.isClustered()) {
                return Future.succeededFuture(new InstanceReply.Created(name));
            }
            // Answered once the other gateways can reach it, so that the client's next request finds it anywhere.
            MessageConsumer<Buffer> handler = vertx.eventBus().consumer(peerAddress(create.group(), name), this::fromPeer);
            peerHandlers.put(key, handler);
            return handler.completion().<InstanceReply>map(new InstanceReply.Created(name))
                    .recover(failure -> Future.succeededFuture(new InstanceReply.Created(name)));
        });
    }

    private Future<InstanceReply> delete(ConsumerInstance instance) {
        instances.remove(key(instance.group, instance.name));
        return close(instance).map(new InstanceReply.Done());
    }

    /** A command another gateway passed here; a message that does not decode is answered as bad, never thrown. */
    private void fromPeer(Message<Buffer> message) {
        InstanceCommand command;
        try {
            command = InstanceWire.command(message.body());
        } catch (IllegalArgumentException e) {
            LOG.atWarn().addKeyValue("cluster", cluster).addKeyValue("error", e.getMessage()).log("instance command from a peer dropped");
            message.fail(ErrorCode.INVALID_REQUEST.busCode(), e.getMessage());
            return;
        }
        handle(command, true).onComplete(done -> {
            if (done.succeeded()) {
                message.reply(InstanceWire.encode(done.result()));
            } else {
                GatewayException error = GatewayException.from(done.cause());
                message.fail(error.busCode(), error.getMessage());
            }
        });
    }

    /** Passes {@code command} to the gateway holding its instance; none does: not found. */
    private Future<InstanceReply> forward(InstanceCommand command) {
        // A records request may first wait for its group to assign partitions (v1), then for records.
        long wait = command instanceof InstanceCommand.Records r
                ? Math.max(r.timeoutMillis(), settings.requestTimeout().toMillis()) + 20_000 : 30_000;
        return vertx.eventBus().<Buffer>request(peerAddress(command.group(), command.name()), InstanceWire.encode(command),
                new DeliveryOptions().setSendTimeout(wait)).transform(done -> {
            if (done.succeeded()) {
                try {
                    return Future.succeededFuture(InstanceWire.reply(done.result().body()));
                } catch (IllegalArgumentException e) {
                    return Future.failedFuture(GatewayException.unavailable("the gateway holding the instance answered"
                            + " something that does not decode: " + e.getMessage()));
                }
            }
            if (done.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
                return Future.failedFuture(notFound());
            }
            return Future.failedFuture(GatewayException.from(done.cause()));
        });
    }

    /** Whether another gateway holds an instance of that name in that group already. */
    private Future<Boolean> elsewhere(InstanceCommand.Create create) {
        if (create.name() == null || create.name().isBlank()) {
            return Future.succeededFuture(false);
        }
        return forward(new InstanceCommand.GetSubscription(create.group(), create.name())).transform(done ->
                Future.succeededFuture(done.succeeded()
                        || GatewayException.from(done.cause()).code() != ErrorCode.RESOURCE_NOT_FOUND));
    }

    static String peerAddress(String group, String name) {
        return "kgw.peers.instance." + group + "." + name;
    }

    private static GatewayException notFound() {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, "Consumer instance not found.");
    }

    private static GatewayException exists() {
        return new GatewayException(ErrorCode.ALREADY_EXISTS,
                "Consumer with specified consumer ID already exists in the specified consumer group.");
    }

    /** Answers what waits, commits what was returned (with auto-commit), leaves the group. */
    private Future<Void> close(ConsumerInstance instance) {
        MessageConsumer<Buffer> handler = peerHandlers.remove(key(instance.group, instance.name));
        if (handler != null) {
            handler.unregister();
        }
        instance.close();
        Map<TopicPartition, OffsetAndMetadata> commit = instance.autoCommit ? instance.returnedOffsets() : Map.of();
        return Future.fromCompletionStage(instance.poller().close(() -> commit, Duration.ofSeconds(5)), context);
    }

    private void expireIdle() {
        long now = System.nanoTime();
        long limit = settings.instanceTimeout().toNanos();
        List<ConsumerInstance> idle = new ArrayList<>();
        instances.values().forEach(instance -> {
            if (instance.idle(now, limit) || instance.failure() != null) {
                idle.add(instance);
            }
        });
        for (ConsumerInstance instance : idle) {
            instances.remove(key(instance.group, instance.name));
            LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", instance.group)
                    .addKeyValue("instance", instance.name)
                    .addKeyValue("idle_ms", TimeUnit.NANOSECONDS.toMillis(limit)).log("consumer instance expired");
            close(instance);
        }
    }

    private void autoCommit() {
        for (ConsumerInstance instance : instances.values()) {
            if (instance.autoCommit) {
                calls.autoCommit(instance);
            }
        }
    }

    /** Instances held now. */
    public int size() {
        return instances.size();
    }

    /** Closes every instance: waiting requests answer at once, auto-commit instances commit, all leave their groups. */
    public Future<Void> closeAll() {
        closed = true;
        vertx.cancelTimer(sweepTimer);
        vertx.cancelTimer(autoCommitTimer);
        List<Future<Void>> closing = instances.values().stream().map(this::close).toList();
        instances.clear();
        return Future.join(closing).mapEmpty();
    }

    private static String key(String group, String name) {
        return group + "\u0000" + name;
    }
}
