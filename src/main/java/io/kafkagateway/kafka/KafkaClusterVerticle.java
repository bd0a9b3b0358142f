package io.kafkagateway.kafka;

import io.kafkagateway.config.ConfluentSettings;
import io.kafkagateway.core.InstanceCommand;
import io.kafkagateway.instances.InstanceRegistry;
import io.kafkagateway.bus.Addresses;
import io.kafkagateway.bus.Replies;
import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.InstanceIdentity;
import io.kafkagateway.config.GoDuration;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.consumer.ConsumerEngine;
import io.kafkagateway.consumer.Peers;
import io.kafkagateway.peers.BusPeers;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumersQuery;
import io.kafkagateway.core.ListOffsetRequest;
import io.kafkagateway.core.ReadRequest;
import io.kafkagateway.core.OffsetsQuery;
import io.kafkagateway.core.PositionCommit;
import io.kafkagateway.core.ProduceBatch;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.SetOffsetsRequest;
import io.kafkagateway.core.TopicQuery;
import io.kafkagateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code kafka-cluster} verticle: one per configured cluster. Owns the cluster's shared producer, admin client and
 * consumer engine, and serves the cluster's event-bus addresses. Front-ends never touch Kafka clients directly.
 */
public final class KafkaClusterVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterVerticle.class);
    /** How often the topic list is reloaded, so deleted topics stop being admitted without a lookup. */
    private static final long TOPIC_REFRESH_MILLIS = 30_000;

    private final String name;
    private final ClusterConfig config;
    private final GatewayMetrics metrics;
    private final int maxReaders;
    private final InstanceIdentity identity;
    private final ClientHealth health;
    private long probeTimer = -1;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private final List<AutoCloseable> meters = new ArrayList<>();
    private final List<BusPeers> closeables = new ArrayList<>();
    private Admin admin;
    private ProducerSender producer;
    private ProduceService produce;
    private ConsumerEngine engine;
    private PartitionReaders readers;
    private long refreshTimer = -1;
    private final ConfluentSettings.Consumer instanceSettings;
    private InstanceRegistry instances;

    /**
     * {@code maxReaders}: partition readers (for the client-positioned WebSocket dialects) open at once;
     * {@code identity}: this gateway as a member of the groups it joins.
     */
    public KafkaClusterVerticle(String name, ClusterConfig config, GatewayMetrics metrics, int maxReaders,
                                InstanceIdentity identity, ClientHealth health) {
        this(name, config, metrics, maxReaders, identity, health, null);
    }

    /** As above; {@code instanceSettings} (when not null) makes it hold the Confluent API's consumer instances. */
    public KafkaClusterVerticle(String name, ClusterConfig config, GatewayMetrics metrics, int maxReaders,
                                InstanceIdentity identity, ClientHealth health, ConfluentSettings.Consumer instanceSettings) {
        this.instanceSettings = instanceSettings;
        this.name = name;
        this.health = health;
        this.identity = identity;
        this.config = config;
        this.metrics = metrics;
        this.maxReaders = maxReaders;
    }

    @Override
    public Future<?> start() {
        // Creating Kafka clients resolves the seed brokers and may read key stores: never on the event loop.
        return vertx.executeBlocking(() -> Admin.create(KafkaClientProperties.admin(config)))
                .compose(created -> {
                    admin = created;
                    return awaitBrokers();
                })
                .compose(clusterId -> {
                    TopicGuard topics = new TopicGuard(name, admin, context);
                    return topics.refresh()
                            .compose(ok -> vertx.executeBlocking(this::newProducer))
                            .map(kafkaProducer -> {
                                serve(topics, kafkaProducer);
                                LOG.atInfo().addKeyValue("cluster", name).addKeyValue("kafka_cluster_id", clusterId)
                                        .addKeyValue("bootstrap", config.kafka().bootstrapServers()).log("connected to Kafka");
                                return null;
                            });
                })
                .recover(failure -> closeClients().transform(closed -> Future.failedFuture(failure)));
    }

    private void serve(TopicGuard topics, Producer<byte[], byte[]> kafkaProducer) {
        producer = new ProducerSender(name, kafkaProducer, config.producer().timeout());
        produce = new ProduceService(name, config.producer(), KafkaClientProperties.producerBufferBytes(config),
                producer, context, topics, metrics);
        MetadataService metadata = new MetadataService(name, admin, context);
        consumers.add(vertx.eventBus().<ProduceRequest>localConsumer(Addresses.produce(name),
                msg -> Replies.reply(msg, produce.produce(msg.body()))));
        consumers.add(vertx.eventBus().<ProduceBatch>localConsumer(Addresses.produceBatch(name),
                msg -> Replies.reply(msg, produce.produceBatch(msg.body()))));
        consumers.add(vertx.eventBus().<TopicQuery>localConsumer(Addresses.topics(name),
                msg -> Replies.reply(msg, metadata.listTopics(msg.body()))));
        consumers.add(vertx.eventBus().<String>localConsumer(Addresses.brokers(name),
                msg -> Replies.reply(msg, metadata.brokers())));
        consumers.add(vertx.eventBus().<TopicQuery>localConsumer(Addresses.topic(name),
                msg -> Replies.reply(msg, metadata.topic(msg.body()))));
        String groupInstanceId = identity.groupInstanceId(name);
        // Clustered, every gateway's member shows which instance it is (GET .../consumers lists members by client id).
        String clientId = vertx.isClustered() ? config.clientId() + "-" + identity.id() : config.clientId();
        engine = new ConsumerEngine(name, config, vertx, context, admin, metrics, topics::admit,
                group -> new KafkaConsumer<>(KafkaClientProperties.consumer(config, group, groupInstanceId, clientId)),
                !identity.configured(), peers());
        consumers.add(vertx.eventBus().<ConsumeRequest>localConsumer(Addresses.consume(name),
                msg -> Replies.reply(msg, engine.consume(msg.body()))));
        consumers.add(vertx.eventBus().<AckRequest>localConsumer(Addresses.ack(name),
                msg -> Replies.reply(msg, engine.ack(msg.body()).map("ok"))));
        consumers.add(vertx.eventBus().<OffsetsQuery>localConsumer(Addresses.offsets(name),
                msg -> Replies.reply(msg, engine.offsets(msg.body()))));
        consumers.add(vertx.eventBus().<SetOffsetsRequest>localConsumer(Addresses.setOffsets(name),
                msg -> Replies.reply(msg, engine.setOffsets(msg.body()).map("ok"))));
        consumers.add(vertx.eventBus().<PositionCommit>localConsumer(Addresses.commitPosition(name),
                msg -> Replies.reply(msg, engine.commitPosition(msg.body()).map("ok"))));
        consumers.add(vertx.eventBus().<ConsumersQuery>localConsumer(Addresses.consumers(name),
                msg -> Replies.reply(msg, engine.consumers(msg.body()))));
        readers = new PartitionReaders(name, config, vertx, context, admin, maxReaders);
        consumers.add(vertx.eventBus().<ReadRequest>localConsumer(Addresses.read(name),
                msg -> Replies.reply(msg, readers.read(msg.body()))));
        consumers.add(vertx.eventBus().<String>localConsumer(Addresses.closeReader(name), msg -> readers.close(msg.body())));
        consumers.add(vertx.eventBus().<ListOffsetRequest>localConsumer(Addresses.listOffset(name),
                msg -> Replies.reply(msg, readers.listOffset(msg.body()))));
        if (instanceSettings != null) {
            instances = new InstanceRegistry(name, config, instanceSettings, vertx, context);
            consumers.add(vertx.eventBus().<InstanceCommand>localConsumer(Addresses.instances(name),
                    msg -> Replies.reply(msg, instances.handle(msg.body()))));
        }
        consumers.add(vertx.eventBus().<String>localConsumer(Addresses.lifecycle(name), msg -> {
            produce.stop();
            engine.drain();
            if (instances != null) {
                instances.closeAll();
            }
            msg.reply("drained");
        }));
        probeTimer = new AdminProbe(name, admin, context, health).start(vertx);
        refreshTimer = vertx.setPeriodic(TOPIC_REFRESH_MILLIS, id -> topics.refresh().onFailure(failure ->
                LOG.atWarn().addKeyValue("cluster", name).addKeyValue("error", failure.toString())
                        .log("topic list refresh failed")));
    }

    /** The other gateways, when this one is clustered: requests for partitions they own are passed to them. */
    private Peers peers() {
        if (!vertx.isClustered()) {
            return Peers.NONE;
        }
        BusPeers bus = new BusPeers(name, vertx, context, identity.id(), config.consumer().ackTimeout(), metrics);
        closeables.add(bus);
        return bus;
    }

    /** Waits up to {@code net.dial_timeout} for the brokers to answer; a gateway that cannot reach them does not start. */
    private Future<String> awaitBrokers() {
        Duration timeout = config.net().dialTimeout();
        DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        return KafkaFutures.on(context, admin.describeCluster(options).clusterId())
                .recover(failure -> Future.failedFuture(GatewayException.unavailable("cannot reach Kafka cluster '" + name
                        + "' at " + config.kafka().bootstrapServers() + " within " + GoDuration.format(timeout)
                        + " (proxies." + name + ".net.dial_timeout): " + failure.getMessage())));
    }

    /**
     * Creates the cluster's producer and binds its metrics, on a worker: binding registers a meter per Kafka metric
     * (hundreds), which took an event loop 2 s on a loaded machine with several clusters starting at once.
     */
    private Producer<byte[], byte[]> newProducer() {
        Producer<byte[], byte[]> kafkaProducer = new KafkaProducer<>(KafkaClientProperties.producer(config));
        bindClientMetrics(kafkaProducer);
        return kafkaProducer;
    }

    private void bindClientMetrics(Producer<byte[], byte[]> kafkaProducer) {
        KafkaClientMetrics clientMetrics = new KafkaClientMetrics(kafkaProducer, Tags.of("cluster", name));
        clientMetrics.bindTo(metrics.registry());
        meters.add(clientMetrics);
    }

    /**
     * Stops taking records and consume requests, commits every group's offsets and leaves the groups, then flushes
     * what the producer accepted for up to {@code producer.shutdown_timeout} and closes the clients.
     */
    @Override
    public Future<?> stop() {
        if (refreshTimer >= 0) {
            vertx.cancelTimer(refreshTimer);
        }
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
        if (produce != null) {
            produce.stop();
        }
        consumers.forEach(MessageConsumer::unregister);
        Future<Void> instancesLeft = instances == null ? Future.succeededFuture() : instances.closeAll();
        Future<Void> left = instancesLeft.transform(done -> engine == null ? Future.<Void>succeededFuture() : engine.stop())
                .onComplete(done -> closeables.forEach(BusPeers::close));
        Future<Void> readersClosed = readers == null ? Future.succeededFuture() : readers.shutdown();
        return Future.join(left, readersClosed).<Void>mapEmpty()
                .eventually(() -> producer == null ? Future.succeededFuture() : producer.close(config.producer().shutdownTimeout(), context))
                .onFailure(failure -> LOG.atWarn().addKeyValue("cluster", name).addKeyValue("error", failure.toString())
                        .log("producer did not close cleanly"))
                .eventually(this::closeClients)
                .onComplete(done -> LOG.atInfo().addKeyValue("cluster", name).log("disconnected from Kafka"));
    }

    /** Closes the admin client and metric binders; blocking, so on a worker. */
    private Future<Void> closeClients() {
        return vertx.executeBlocking(() -> {
            meters.forEach(KafkaClusterVerticle::closeQuietly);
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            return null;
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.atDebug().setCause(e).log("closing metrics binder failed");
        }
    }
}
