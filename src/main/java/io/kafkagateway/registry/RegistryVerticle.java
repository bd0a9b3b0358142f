package io.kafkagateway.registry;

import io.kafkagateway.bus.Addresses;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.bus.Replies;
import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReply;
import io.kafkagateway.kafka.KafkaClientProperties;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code schema-registry} verticle: the gateway's schema registry, kept in a compacted topic of one cluster.
 * Reads the whole topic before it answers, then answers reads from its own copy; writes go to the one writer Kafka's
 * group coordinator elects among the gateways ({@link WriterElection}): carried out here when this gateway is it,
 * passed to it over the clustered event bus when another is.
 */
public final class RegistryVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryVerticle.class);
    /** How long a request waits for the topic to be read, or for a writer to be elected. */
    private static final long READY_WAIT_MILLIS = 30_000;
    private static final int MAX_QUEUED_WRITES = 256;
    /** How long a write on a gateway that is not clustered waits for this gateway's own election. */
    private static final long ELECTION_WAIT_MILLIS = 5_000;

    private final GatewayConfig config;
    private final String cluster;
    private final String topic;
    private final SchemaState state = new SchemaState();
    private final SchemaFormats formats = new SchemaFormats(List.of(new AvroFormat()));
    private final SchemaQueries queries = new SchemaQueries(state, formats);
    private final Promise<Void> ready = Promise.promise();
    private ClusterClient clusters;
    private SchemaTopic schemaTopic;
    private SchemaLog log;
    private SchemaWriter writer;
    private WriterElection election;
    private MessageConsumer<SchemaCommand> local;
    private MessageConsumer<Buffer> fromPeers;
    /** Set while this gateway is the elected writer and has read the topic to its end since. */
    private boolean writing;
    private Promise<Void> elected = Promise.promise();
    private Future<?> lastWrite = Future.succeededFuture();
    private int queuedWrites;

    public RegistryVerticle(GatewayConfig config) {
        this.config = config;
        this.cluster = config.schemaRegistryCluster();
        this.topic = config.schemaRegistry().topic();
    }

    @Override
    public Future<?> start() {
        clusters = new ClusterClient(vertx.eventBus(), config);
        ClusterConfig clusterConfig = config.cluster(cluster);
        schemaTopic = new SchemaTopic(vertx, clusterConfig, topic);
        local = vertx.eventBus().localConsumer(Addresses.schemas(cluster), msg -> Replies.reply(msg, handle(msg.body())));
        // The gateway starts whether or not Kafka answers yet: the registry gets ready in the background.
        schemaTopic.ensure().compose(created -> vertx.executeBlocking(() -> {
            Map<String, Object> reader = KafkaClientProperties.reader(clusterConfig, 1 << 20);
            Map<String, Object> member = KafkaClientProperties.consumer(clusterConfig, "kafka-gateway-schema-registry", null,
                    clusterConfig.clientId() + "-schema-election");
            return new Object[]{new KafkaConsumer<byte[], byte[]>(reader), new KafkaConsumer<byte[], byte[]>(member)};
        })).compose(consumers -> {
            @SuppressWarnings("unchecked")
            KafkaConsumer<byte[], byte[]> reader = (KafkaConsumer<byte[], byte[]>) consumers[0];
            @SuppressWarnings("unchecked")
            KafkaConsumer<byte[], byte[]> member = (KafkaConsumer<byte[], byte[]>) consumers[1];
            log = new SchemaLog(reader, new TopicPartition(topic, 0), state, context);
            writer = new SchemaWriter(state, queries, log, this::produce);
            log.start();
            election = new WriterElection(member, topic, new Roles());
            return readToEnd();
        }).onSuccess(v -> {
            LOG.atInfo().addKeyValue("topic", topic).addKeyValue("schemas", state.maxId()).log("schema registry ready");
            ready.tryComplete();
            election.start();
        }).onFailure(e -> LOG.atError().addKeyValue("topic", topic).addKeyValue("error", e.toString())
                .log("schema registry cannot read its topic; requests answer 50001"));
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        local.unregister();
        if (fromPeers != null) {
            fromPeers.unregister();
        }
        return vertx.executeBlocking(() -> {
            if (election != null) {
                election.close();
            }
            if (log != null) {
                log.close();
            }
            schemaTopic.close();
            return null;
        });
    }

    private Future<SchemaReply> handle(SchemaCommand command) {
        return ready.future().timeout(READY_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                .recover(slow -> Future.failedFuture(RegistryErrors.storeError("the schema registry has not read its topic "
                        + topic + " yet (is Kafka reachable?); retry shortly")))
                .compose(v -> {
                    if (!command.writes()) {
                        try {
                            return Future.succeededFuture(queries.answer(command));
                        } catch (GatewayException refused) {
                            return Future.failedFuture(refused);
                        }
                    }
                    return writing ? queueWrite(command) : forward(command);
                });
    }

    /** One write at a time: each sees the state every earlier one left. */
    private Future<SchemaReply> queueWrite(SchemaCommand command) {
        if (queuedWrites >= MAX_QUEUED_WRITES) {
            return Future.failedFuture(GatewayException.throttled(MAX_QUEUED_WRITES
                    + " schema registry writes wait already; retry shortly"));
        }
        queuedWrites++;
        Future<SchemaReply> done = lastWrite.transform(previous -> writing ? writer.write(command) : forward(command));
        lastWrite = done.onComplete(v -> queuedWrites--);
        return done;
    }

    /** Passes a write to the gateway that is the writer; none elected yet: waits for the election a while. */
    private Future<SchemaReply> forward(SchemaCommand command) {
        return forward(command, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_WAIT_MILLIS));
    }

    private Future<SchemaReply> forward(SchemaCommand command, long deadline) {
        if (!vertx.isClustered()) {
            // this gateway may be about to be elected (it joined moments ago); else another holds the role
            return elected.future().timeout(ELECTION_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    .recover(slow -> Future.failedFuture(RegistryErrors.forwardingFailed("another gateway is the schema"
                            + " registry's writer, and gateways that are not clustered (cluster.enabled) cannot pass"
                            + " writes to it; send writes to that gateway, or cluster the gateways")))
                    .compose(v -> queueWrite(command));
        }
        return vertx.eventBus().<Buffer>request(Addresses.schemaWriter(cluster), RegistryWire.encode(command),
                new DeliveryOptions().setSendTimeout(READY_WAIT_MILLIS)).transform(done -> {
            if (done.succeeded()) {
                try {
                    return Future.succeededFuture(RegistryWire.reply(done.result().body()));
                } catch (IllegalArgumentException e) {
                    return Future.failedFuture(RegistryErrors.forwardingFailed("the registry's writer answered"
                            + " something that does not decode: " + e.getMessage()));
                }
            }
            if (done.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
                // between two writers: this gateway or another is elected shortly
                if (System.nanoTime() > deadline) {
                    return Future.failedFuture(RegistryErrors.forwardingFailed(
                            "no gateway is the schema registry's writer yet; retry shortly"));
                }
                return vertx.timer(200).compose(t -> writing ? queueWrite(command) : forward(command, deadline));
            }
            return Future.failedFuture(GatewayException.from(done.cause()));
        });
    }

    private void fromPeer(Message<Buffer> message) {
        SchemaCommand command;
        try {
            command = RegistryWire.command(message.body());
        } catch (IllegalArgumentException e) {
            message.fail(io.kafkagateway.core.ErrorCode.INVALID_REQUEST.busCode(), e.getMessage());
            return;
        }
        queueWrite(command).onComplete(done -> {
            if (done.succeeded()) {
                message.reply(RegistryWire.encode(done.result()));
            } else {
                message.fail(GatewayException.from(done.cause()).busCode(), GatewayException.from(done.cause()).getMessage());
            }
        });
    }

    /** Completes once everything the topic held when asked has been applied. */
    private Future<Void> readToEnd() {
        return schemaTopic.endOffset().compose(end -> log.applied(end));
    }

    /** Writes records to the topic in order through the cluster's one producer, answering the last one's offset. */
    private Future<Long> produce(List<SchemaWriter.Doc> records) {
        Future<Long> last = Future.succeededFuture(-1L);
        for (SchemaWriter.Doc record : records) {
            last = last.compose(previous -> clusters.produce(cluster,
                    new ProduceRequest(topic, record.key(), record.value(), List.of(), true, 0)).map(result -> result.offset()));
        }
        return last.recover(failure -> Future.failedFuture(RegistryErrors.storeError(
                "writing the schemas topic failed: " + GatewayException.from(failure).getMessage())));
    }

    /** The writer's role, changed on the election's thread and taken in on this verticle's event loop. */
    private final class Roles implements WriterElection.Roles {

        @Override
        public CompletableFuture<Void> elected() {
            CompletableFuture<Void> taken = new CompletableFuture<>();
            context.runOnContext(v -> readToEnd().compose(end -> {
                writing = true;
                elected.tryComplete();
                if (!vertx.isClustered()) {
                    return Future.<Void>succeededFuture();
                }
                fromPeers = vertx.eventBus().consumer(Addresses.schemaWriter(cluster), RegistryVerticle.this::fromPeer);
                return fromPeers.completion();
            }).onComplete(done -> taken.complete(null)));
            return taken;
        }

        @Override
        public CompletableFuture<Void> deposed() {
            CompletableFuture<Void> taken = new CompletableFuture<>();
            context.runOnContext(v -> {
                writing = false;
                if (elected.future().isComplete()) {
                    elected = Promise.promise();
                }
                Future<Void> unregistered = fromPeers == null ? Future.succeededFuture() : fromPeers.unregister();
                fromPeers = null;
                // the write under way finishes first: none starts after this, as writing is false
                Future.join(unregistered, lastWrite).onComplete(done -> taken.complete(null));
            });
            return taken;
        }
    }
}
