package io.kafkagateway.ws;

import com.fasterxml.jackson.core.io.SerializedString;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.config.KafkaProxyDialectSettings;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.OffsetsQuery;
import io.kafkagateway.core.PartitionOffset;
import io.kafkagateway.core.PositionCommit;
import io.kafkagateway.core.ReadBatch;
import io.kafkagateway.core.ReadRequest;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * One kafka-proxy socket: streams one partition of a topic as JSON batches ({@code [{"message", "offset"}, ...]}, one
 * text frame each), from {@code offset} when the client gave one, else from the group's committed position. The
 * position is committed (the Kafka way: the next offset to read) as batches are written and when the socket closes,
 * through Kafka's admin API: a group that has consumer group members (this gateway's engine, or Kafka clients) cannot
 * also be a kafka-proxy group, and such a socket is closed with 4409.
 * Reading stops while the socket's write queue is full and goes on when it drains; a message larger than the batch
 * bound goes alone in its own frame. Confined to the event loop the socket arrived on.
 */
final class KafkaProxySession implements WsSession {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProxySession.class);
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString OFFSET = new SerializedString("offset");

    /** What the client asked for at connect time; {@code offset} -1 when the server keeps the position. */
    record Params(String cluster, String topic, String group, int partition, long offset) {
    }

    private final Vertx vertx;
    private final Context context;
    private final ClusterClient clusters;
    private final KafkaProxyDialectSettings settings;
    private final InitialOffset initialOffset;
    private final Duration timeout;
    private final KafkaProxyOwners owners;
    private final Counter sent;
    private final TextFrames frames;
    private final KafkaProxyOwners.Key key;
    private final Params params;
    private final ServerWebSocket socket;
    private final String reader = "kafka-proxy-" + UUID.randomUUID();
    private final Promise<Void> closed = Promise.promise();
    /** The next offset to read. */
    private long position = -1;
    /** The next offset after the batches written to the socket: what gets committed. */
    private long written = -1;
    private long committed = -1;
    private boolean committing;
    private Future<Void> commits = Future.succeededFuture();
    private boolean reading;
    private boolean stopped;
    /** Kafka refused this socket's position for its group: nothing more is committed. */
    private boolean refused;
    private long retryTimer = -1;

    KafkaProxySession(Vertx vertx, ClusterClient clusters, KafkaProxyDialectSettings settings, InitialOffset initialOffset,
                      Duration timeout, KafkaProxyOwners owners, Counter sent, TextFrames frames, Params params,
                      ServerWebSocket socket) {
        this.sent = sent;
        this.frames = frames;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.clusters = clusters;
        this.settings = settings;
        this.initialOffset = initialOffset;
        this.timeout = timeout;
        this.owners = owners;
        this.key = new KafkaProxyOwners.Key(params.cluster(), params.group(), params.topic(), params.partition());
        this.params = params;
        this.socket = socket;
    }

    @Override
    public void start() {
        socket.drainHandler(v -> next());
        // The dialect is consume-only: whatever a client sends is ignored, but read as messages, so that one larger
        // than websocket.max_frame_bytes closes the socket (1009) as on the other dialects.
        socket.textMessageHandler(ignored -> { });
        socket.binaryMessageHandler(ignored -> { });
        owners.claim(key, this)
                .onComplete(previousClosed -> context.runOnContext(v -> locate()));
    }

    /** Where reading starts: the client's offset, or the group's committed position, or the group's initial offset. */
    private void locate() {
        if (stopped) {
            return;
        }
        clusters.offsets(params.cluster(), new OffsetsQuery(params.group(), params.topic())).onComplete(done -> {
            if (done.failed()) {
                fail(done.cause());
                return;
            }
            PartitionOffset partition = done.result().partitions().stream()
                    .filter(p -> p.partition() == params.partition()).findFirst().orElse(null);
            if (partition == null) {
                fail(new GatewayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "topic " + params.topic()
                        + " has no partition " + params.partition()));
                return;
            }
            if (params.offset() >= 0) {
                position = params.offset();
            } else if (partition.offset() >= 0) {
                position = partition.offset();
                committed = partition.offset();
            } else {
                // A new group: pin its start at once, so that a reconnect resumes here and not wherever "latest" is then.
                position = initialOffset == InitialOffset.EARLIEST ? partition.begin() : partition.end();
            }
            LOG.atInfo().addKeyValue("cluster", params.cluster()).addKeyValue("group", params.group())
                    .addKeyValue("topic", params.topic()).addKeyValue("partition", params.partition())
                    .addKeyValue("offset", position).log("kafka-proxy socket streaming");
            written = position;
            commit();
            next();
        });
    }

    /** Reads the next batch unless the socket's write queue is full (the drain handler calls again). */
    private void next() {
        if (stopped || position < 0 || reading || retryTimer >= 0 || WsSession.full(socket)) {
            return;
        }
        reading = true;
        clusters.read(params.cluster(), new ReadRequest(reader, params.topic(), params.partition(), position,
                settings.maxBytes(), settings.idleTimeout(), timeout)).onComplete(done -> {
            reading = false;
            if (stopped) {
                return;
            }
            if (done.succeeded()) {
                deliver(done.result());
            } else {
                GatewayException error = GatewayException.from(done.cause());
                if (error.code() == ErrorCode.SERVICE_UNAVAILABLE || error.code() == ErrorCode.THROTTLING_QUOTA_EXCEEDED) {
                    LOG.atWarn().addKeyValue("cluster", params.cluster()).addKeyValue("topic", params.topic())
                            .addKeyValue("error", error.getMessage()).log("kafka-proxy read failed; retrying");
                    retryTimer = vertx.setTimer(settings.idleTimeout().toMillis(), id -> {
                        retryTimer = -1;
                        next();
                    });
                } else {
                    fail(error);
                }
            }
        });
    }

    private void deliver(ReadBatch batch) {
        if (batch.messages().isEmpty()) {
            next();
            return;
        }
        long end = batch.nextOffset();
        position = end;
        sent.increment(batch.messages().size());
        frames.write(socket, frame(batch.messages())).onSuccess(v -> {
            written = Math.max(written, end);
            commit();
        });
        next();
    }

    /**
     * The batch as kafka-proxy's JSON array, UTF-8 encoded. A value is the message text: valid UTF-8 goes in as it is
     * (escaped where JSON needs it), anything else is decoded with replacement characters first.
     */
    static Buffer frame(List<ConsumedMessage> messages) {
        int estimate = 2;
        for (ConsumedMessage m : messages) {
            estimate += 40 + (m.value() == null ? 0 : m.value().length);
        }
        return JsonBuffers.write(estimate, json -> {
            json.writeStartArray();
            for (ConsumedMessage m : messages) {
                json.writeStartObject();
                json.writeFieldName(MESSAGE);
                if (m.value() == null) {
                    json.writeNull();
                } else {
                    JsonBuffers.text(json, m.value());
                }
                json.writeFieldName(OFFSET);
                json.writeNumber(m.offset());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /** Commits what was written, one commit at a time; the future completes once the newest position is committed. */
    private Future<Void> commit() {
        if (committing) {
            return commits;
        }
        if (written < 0 || written == committed || refused) {
            return Future.succeededFuture();
        }
        committing = true;
        long offset = written;
        commits = clusters.commitPosition(params.cluster(), new PositionCommit(params.group(), params.topic(),
                        params.partition(), offset))
                .onComplete(done -> {
                    committing = false;
                    if (done.succeeded()) {
                        committed = offset;
                        return;
                    }
                    GatewayException error = GatewayException.from(done.cause());
                    LOG.atWarn().addKeyValue("cluster", params.cluster()).addKeyValue("group", params.group())
                            .addKeyValue("topic", params.topic()).addKeyValue("partition", params.partition())
                            .addKeyValue("error", error.getMessage()).log("kafka-proxy position not committed");
                    if (error.code() == ErrorCode.NON_EMPTY_GROUP && !stopped) {
                        refused = true;
                        // The group is consumed by group members (this gateway's, or Kafka clients'): the socket's
                        // position cannot be kept, so the client must hear of it rather than lose it on reconnect.
                        WsErrors.close(socket, (short) 4409, "group " + params.group() + " has consumer group members;"
                                + " use a group of its own for kafka-proxy sockets");
                        stop();
                    }
                })
                .compose(ok -> commit(), failed -> Future.succeededFuture());
        return commits;
    }

    private void fail(Throwable failure) {
        WsErrors.close(socket, failure);
        stop();
    }

    /** Another socket took over (group, topic): commit and close. Called from any thread. */
    Future<Void> replaced() {
        context.runOnContext(v -> {
            WsErrors.close(socket, (short) 4409, "another socket consumes " + params.topic() + " for group " + params.group());
            stop();
        });
        return closed.future();
    }

    @Override
    public Future<Void> closed() {
        stop();
        return closed.future();
    }

    /** The socket closed: stop reading, commit the last position, let go of the reader and the (group, topic). */
    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        clusters.closeReader(params.cluster(), reader);
        commit().onComplete(done -> {
            owners.release(key, this);
            closed.tryComplete();
        });
    }
}
