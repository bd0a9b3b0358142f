package io.kafkagateway.ws;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.ApisixDialectSettings;
import io.kafkagateway.core.GatewayException;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.apache.apisix.api.pubsub.PubSubReq;
import org.apache.apisix.api.pubsub.PubSubResp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.UUID;

/**
 * One APISIX pub-sub socket: each binary frame a {@link PubSubReq}, answered by one {@link PubSubResp} with its
 * sequence, strictly in order, one command at a time (so at most one call to the cluster is under way). Commands
 * wait in a queue; past {@link #QUEUE_HIGH} waiting the socket stops reading until the queue is down to half. A
 * command that reaches Kafka is answered within the dialect's timeout, with an error at worst; the next one starts
 * once the late call settled. The next command also waits while the socket's write queue is full. Text frames,
 * frames that do not decode and requests without a command get no answer. Confined to the socket's event loop.
 */
final class ApisixSession implements WsSession {

    static final int QUEUE_HIGH = 32;
    private static final Logger LOG = LoggerFactory.getLogger(ApisixSession.class);

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final String cluster;
    private final ServerWebSocket socket;
    private final long timeoutMillis;
    private final String reader = "apisix-" + UUID.randomUUID();
    private final ApisixCommands commands;
    private final Counter sent;
    private final ArrayDeque<PubSubReq> queue = new ArrayDeque<>();
    private boolean running;
    private boolean paused;
    private boolean stopped;
    private long timer = -1;
    /** The command under way was answered with a timeout error: its late answer is dropped. */
    private boolean timedOut;

    ApisixSession(Vertx vertx, ClusterClient clusters, String cluster, ApisixDialectSettings settings, Counter sent,
                  ServerWebSocket socket) {
        this.sent = sent;
        this.vertx = vertx;
        this.clusters = clusters;
        this.cluster = cluster;
        this.socket = socket;
        this.timeoutMillis = settings.timeout().toMillis();
        this.commands = new ApisixCommands(clusters, cluster, reader, settings);
    }

    @Override
    public void start() {
        socket.binaryMessageHandler(this::received);
        socket.textMessageHandler(text -> LOG.atDebug().addKeyValue("cluster", cluster)
                .log("APISIX socket ignored a text frame"));
        socket.drainHandler(v -> next());
    }

    private void received(Buffer frame) {
        if (stopped) {
            return;
        }
        PubSubReq request;
        try {
            request = PubSubReq.parseFrom(frame.getBytes());
        } catch (InvalidProtocolBufferException e) {
            LOG.atWarn().addKeyValue("cluster", cluster).addKeyValue("bytes", frame.length())
                    .addKeyValue("error", e.getMessage()).log("APISIX frame is not a PubSubReq; no answer");
            return;
        }
        if (request.getReqCase() == PubSubReq.ReqCase.REQ_NOT_SET) {
            LOG.atWarn().addKeyValue("cluster", cluster).addKeyValue("sequence", request.getSequence())
                    .log("APISIX PubSubReq without a command; no answer");
            return;
        }
        queue.addLast(request);
        if (queue.size() > QUEUE_HIGH && !paused) {
            paused = true;
            socket.pause();
        }
        next();
    }

    /** Starts the next command, unless one is under way or the socket cannot take an answer now. */
    private void next() {
        if (stopped || running || queue.isEmpty() || WsSession.full(socket)) {
            return;
        }
        PubSubReq request = queue.pollFirst();
        if (paused && queue.size() < QUEUE_HIGH / 2) {
            paused = false;
            socket.resume();
        }
        running = true;
        timedOut = false;
        Future<PubSubResp> answer = commands.run(request);
        if (!answer.isComplete()) {
            timer = vertx.setTimer(timeoutMillis, id -> {
                timer = -1;
                timedOut = true;
                LOG.atWarn().addKeyValue("cluster", cluster).addKeyValue("command", request.getReqCase())
                        .addKeyValue("timeout_ms", timeoutMillis).log("APISIX command not answered in time; answering an error");
                write(ApisixCommands.failed(request, GatewayException.unavailable("no answer within " + timeoutMillis + " ms")));
            });
        }
        answer.onComplete(done -> {
            cancelTimer();
            if (!timedOut) {
                write(done.succeeded() ? done.result() : ApisixCommands.failed(request, done.cause()));
            }
            running = false;
            next();
        });
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void write(PubSubResp response) {
        if (!stopped) {
            if (response.hasKafkaFetchResp()) {
                sent.increment(response.getKafkaFetchResp().getMessagesCount());
            }
            socket.writeBinaryMessage(Buffer.buffer(response.toByteArray()));
        }
    }

    @Override
    public Future<Void> closed() {
        stopped = true;
        queue.clear();
        cancelTimer();
        clusters.closeReader(cluster, reader);
        return Future.succeededFuture();
    }
}
