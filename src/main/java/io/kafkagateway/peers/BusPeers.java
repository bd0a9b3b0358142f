package io.kafkagateway.peers;

import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.consumer.Peers;
import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.OffsetSetting;
import io.kafkagateway.metrics.GatewayMetrics;
import io.kafkagateway.peers.wire.Ack;
import io.kafkagateway.peers.wire.Consume;
import io.kafkagateway.peers.wire.PeerReply;
import io.kafkagateway.peers.wire.PeerRequest;
import io.kafkagateway.peers.wire.SetOffset;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Peers} over the clustered event bus: an owner registers a consumer per partition (and per topic) it owns;
 * a forward is a request to that address, encoded with {@link ProtoCodec}. No handler is no owner. One per cluster
 * verticle, on its event loop.
 */
public final class BusPeers implements Peers, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BusPeers.class);
    /** How long an owner may take to answer an acknowledgement or a move before the client gets 503. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long an acknowledgement that finds no owner keeps looking for one: a partition moving between gateways is
     * registered again by its next owner within a rebalance.
     */
    static final Duration OWNER_WAIT = Duration.ofSeconds(3);
    private static final long OWNER_RETRY_MILLIS = 100;

    private final String cluster;
    private final Vertx vertx;
    private final Context context;
    private final String nodeAddress;
    private final HeldBatches held;
    private final GatewayMetrics metrics;
    private final MessageConsumer<PeerRequest> reports;

    public BusPeers(String cluster, Vertx vertx, Context context, String instance, Duration ackTimeout, GatewayMetrics metrics) {
        this.cluster = cluster;
        this.vertx = vertx;
        this.context = context;
        this.metrics = metrics;
        this.nodeAddress = PeerAddresses.node(cluster, instance, System.currentTimeMillis());
        this.held = new HeldBatches(ackTimeout.toNanos());
        this.reports = vertx.eventBus().consumer(nodeAddress, this::onReport);
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public Claim claim(String group, TopicPartition partition, PartitionOwner owner) {
        MessageConsumer<PeerRequest> consumer = vertx.eventBus().consumer(PeerAddresses.partition(cluster, group, partition),
                message -> onPartitionRequest(message, owner));
        return consumer::unregister;
    }

    @Override
    public Claim claim(String group, String topic, TopicOwner owner) {
        MessageConsumer<PeerRequest> consumer = vertx.eventBus().consumer(PeerAddresses.topic(cluster, group, topic),
                message -> onConsume(message, owner));
        return consumer::unregister;
    }

    @Override
    public Future<Void> ack(String group, TopicPartition partition, long offset) {
        PeerRequest request = base(group, partition.topic())
                .setAck(Ack.newBuilder().setPartition(partition.partition()).setOffset(offset)).build();
        return ack(PeerAddresses.partition(cluster, group, partition), request, System.nanoTime() + OWNER_WAIT.toNanos());
    }

    private Future<Void> ack(String address, PeerRequest request, long deadlineNanos) {
        return send("ack", address, request, ANSWER_TIMEOUT).transform(done -> {
            if (done.failed() && Peers.noOwner(done.cause()) && deadlineNanos - System.nanoTime() > 0) {
                return vertx.timer(OWNER_RETRY_MILLIS).compose(fired -> ack(address, request, deadlineNanos));
            }
            return done.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(done.cause());
        });
    }

    @Override
    public Future<Void> setOffset(String group, String topic, OffsetSetting setting) {
        SetOffset.Builder move = SetOffset.newBuilder().setPartition(setting.partition()).setOffset(setting.offset());
        if (setting.metadata() != null) {
            move.setMetadata(setting.metadata());
        }
        PeerRequest request = base(group, topic).setSetOffset(move).build();
        return send("offsets", PeerAddresses.partition(cluster, group, new TopicPartition(topic, setting.partition())),
                request, ANSWER_TIMEOUT.multipliedBy(2)).mapEmpty();
    }

    @Override
    public Future<ConsumedBatch> consume(ConsumeRequest request, Duration wait) {
        Consume.Builder consume = Consume.newBuilder().setTimeoutMs(wait.toMillis()).setMaxMessages(request.maxMessages())
                .setAutoAck(request.ackMode() == AckMode.AUTO);
        if (request.initialOffset() != null) {
            consume.setInitialOffset(request.initialOffset().name().toLowerCase(java.util.Locale.ROOT));
        }
        PeerRequest wire = base(request.group(), request.topic()).setConsume(consume).build();
        return send("consume", PeerAddresses.topic(cluster, request.group(), request.topic()), wire, wait.plus(ANSWER_TIMEOUT))
                .map(reply -> {
                    if (reply.getRecordsCount() == 0) {
                        return null;
                    }
                    List<ConsumedMessage> messages = new ArrayList<>(reply.getRecordsCount());
                    reply.getRecordsList().forEach(record -> messages.add(Wire.message(request.topic(), record)));
                    return new ConsumedBatch(messages, new RemoteReceipt(vertx, cluster, reply.getOwnerAddress(), reply.getReceipt()));
                });
    }

    private PeerRequest.Builder base(String group, String topic) {
        return PeerRequest.newBuilder().setCluster(cluster).setGroup(group).setTopic(topic);
    }

    /** A request to an owner: NO_OWNER when nobody is registered, 503 when the owner did not answer in time. */
    private Future<PeerReply> send(String kind, String address, PeerRequest request, Duration timeout) {
        long started = System.nanoTime();
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
        return vertx.eventBus().<PeerReply>request(address, request, options).transform(done -> {
            if (done.failed()) {
                if (done.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
                    return Future.failedFuture(NO_OWNER);
                }
                metrics.forwarded(kind, "failed").increment();
                LOG.atDebug().addKeyValue("cluster", cluster).addKeyValue("kind", kind).addKeyValue("error", done.cause().toString())
                        .log("a request passed to another gateway got no answer");
                return Future.failedFuture(GatewayException.unavailable("the gateway owning it did not answer in time"
                        + " (it may have just stopped); retry"));
            }
            metrics.forwarded(kind, "answered").increment();
            metrics.forwardingLatency(kind).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            PeerReply reply = done.result().body();
            GatewayException failure = Wire.failure(reply);
            return failure == null ? Future.succeededFuture(reply) : Future.failedFuture(failure);
        });
    }

    private void onPartitionRequest(Message<PeerRequest> message, PartitionOwner owner) {
        PeerRequest request = message.body();
        switch (request.getKindCase()) {
            case ACK -> {
                try {
                    owner.ack(request.getAck().getOffset());
                    message.reply(Wire.OK);
                } catch (RuntimeException e) {
                    message.reply(Wire.error(e));
                }
            }
            case SET_OFFSET -> {
                SetOffset move = request.getSetOffset();
                Future<Void> moved;
                try {
                    moved = owner.setOffset(new OffsetSetting(move.getPartition(), move.getOffset(),
                            move.hasMetadata() ? move.getMetadata() : null));
                } catch (RuntimeException e) {
                    moved = Future.failedFuture(e);
                }
                moved.onComplete(done -> message.reply(done.succeeded() ? Wire.OK : Wire.error(done.cause())));
            }
            default -> message.reply(Wire.error(GatewayException.invalid("not a request for a partition: " + request.getKindCase())));
        }
    }

    private void onConsume(Message<PeerRequest> message, TopicOwner owner) {
        PeerRequest request = message.body();
        if (request.getKindCase() != PeerRequest.KindCase.CONSUME) {
            message.reply(Wire.error(GatewayException.invalid("not a consume request: " + request.getKindCase())));
            return;
        }
        Consume consume = request.getConsume();
        Future<ConsumedBatch> taken;
        try {
            InitialOffset initial = consume.getInitialOffset().isEmpty() ? null : InitialOffset.parse(consume.getInitialOffset());
            ConsumeRequest local = new ConsumeRequest(request.getGroup(), request.getTopic(),
                    consume.getAutoAck() ? AckMode.AUTO : AckMode.NONE, -1, -1, initial,
                    Math.max(1, Math.min(ConsumeRequest.MAX_BATCH, consume.getMaxMessages())), null);
            taken = owner.consume(local, Duration.ofMillis(Math.max(0, consume.getTimeoutMs())));
        } catch (RuntimeException e) {
            taken = Future.failedFuture(e);
        }
        taken.onComplete(done -> {
            if (done.failed()) {
                message.reply(Wire.error(done.cause()));
                return;
            }
            ConsumedBatch batch = done.result();
            if (batch == null) {
                message.reply(Wire.OK);
                return;
            }
            long receipt = held.hold(batch);
            PeerReply.Builder reply = PeerReply.newBuilder().setOwnerAddress(nodeAddress).setReceipt(receipt);
            batch.messages().forEach(m -> reply.addRecords(Wire.record(m)));
            // If the asking gateway gave up meanwhile, no report comes: the engine offers the batch again after its
            // ack timeout, as any batch whose fate is never reported.
            message.reply(reply.build());
        });
    }

    private void onReport(Message<PeerRequest> message) {
        if (message.body().getKindCase() == PeerRequest.KindCase.REPORT) {
            held.report(message.body().getReport());
        }
    }

    @Override
    public void close() {
        reports.unregister();
    }
}
