package io.kafkagateway.grpc;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.Topics;
import io.kafkagateway.grpc.v1.Ack;
import io.kafkagateway.grpc.v1.ConsumeRequest.RequestCase;
import io.kafkagateway.grpc.v1.ConsumeResponse;
import io.kafkagateway.grpc.v1.Error;
import io.kafkagateway.grpc.v1.Header;
import io.kafkagateway.grpc.v1.Message;
import io.kafkagateway.grpc.v1.Notice;
import io.kafkagateway.grpc.v1.Subscribe;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One client's consume stream: subscribe, then messages flow while the client has credits, one long poll per topic at
 * a time, each message pending until the client acknowledges it on the stream. When the stream ends or breaks, the
 * messages it did not acknowledge are offered again at once. Confined to the grpc-api verticle's event loop.
 */
final class ConsumeStream {

    /** Credits a client may hold at once; grants above it are capped. */
    static final long MAX_CREDITS = 100_000;
    static final int MAX_TOPICS = 100;
    private static final long RETRY_MILLIS = 100;

    private enum State { AWAITING_SUBSCRIBE, ACTIVE, CLOSED }

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final GrpcServerRequest<io.kafkagateway.grpc.v1.ConsumeRequest, ConsumeResponse> request;
    private final GrpcServerResponse<io.kafkagateway.grpc.v1.ConsumeRequest, ConsumeResponse> response;
    private final Set<String> polling = new HashSet<>();
    private final Set<AckRequest> unacked = new LinkedHashSet<>();
    private State state = State.AWAITING_SUBSCRIBE;
    private String cluster;
    private String group;
    private List<String> topics = List.of();
    private InitialOffset initialOffset;
    private long credits;

    ConsumeStream(Vertx vertx, ClusterClient clusters,
                  GrpcServerRequest<io.kafkagateway.grpc.v1.ConsumeRequest, ConsumeResponse> request) {
        this.vertx = vertx;
        this.clusters = clusters;
        this.request = request;
        this.response = request.response();
    }

    void start() {
        request.handler(this::onRequest);
        request.endHandler(v -> {
            close();
            response.end();
        });
        request.exceptionHandler(failure -> close());
        // A client that cancels, or a connection that breaks, resets the stream: that arrives here.
        request.errorHandler(error -> close());
        response.drainHandler(v -> pollAll());
    }

    private void onRequest(io.kafkagateway.grpc.v1.ConsumeRequest rq) {
        try {
            RequestCase kind = rq.getRequestCase();
            if (kind == RequestCase.SUBSCRIBE) {
                subscribe(rq.getSubscribe());
            } else if (state != State.ACTIVE) {
                throw GatewayException.invalid("the first request on a consume stream must be a subscribe");
            } else if (kind == RequestCase.CREDITS) {
                credits = Math.min(MAX_CREDITS, credits + rq.getCredits().getCount());
                pollAll();
            } else if (kind == RequestCase.ACK) {
                ack(rq.getAck());
            } else {
                throw GatewayException.invalid("a consume request must hold a subscribe, credits or an ack");
            }
        } catch (GatewayException e) {
            fail(new StatusException(GrpcStatus.INVALID_ARGUMENT, e.getMessage()));
        }
    }

    private void subscribe(Subscribe subscribe) {
        if (state != State.AWAITING_SUBSCRIBE) {
            throw GatewayException.invalid("a consume stream subscribes once");
        }
        cluster = clusters.resolve(subscribe.getCluster());
        group = subscribe.getGroup();
        if (group.isEmpty()) {
            throw GatewayException.invalid("group must not be empty");
        }
        if (subscribe.getTopicsCount() == 0 || subscribe.getTopicsCount() > MAX_TOPICS) {
            throw GatewayException.invalid("subscribe to between 1 and " + MAX_TOPICS + " topics");
        }
        topics = List.copyOf(new LinkedHashSet<>(subscribe.getTopicsList()));
        topics.forEach(Topics::validate);
        initialOffset = switch (subscribe.getInitialOffset()) {
            case INITIAL_OFFSET_EARLIEST -> InitialOffset.EARLIEST;
            case INITIAL_OFFSET_LATEST -> InitialOffset.LATEST;
            default -> null;
        };
        credits = Math.min(MAX_CREDITS, subscribe.getCredits());
        state = State.ACTIVE;
        pollAll();
    }

    private void ack(Ack ack) {
        AckRequest acked = new AckRequest(group, ack.getTopic(), ack.getPartition(), ack.getOffset());
        clusters.ack(cluster, acked).onComplete(done -> {
            if (done.succeeded()) {
                unacked.remove(acked);
            } else if (state == State.ACTIVE) {
                GatewayException error = GatewayException.from(done.cause());
                response.write(ConsumeResponse.newBuilder().setNotice(Notice.newBuilder().setAck(ack)
                        .setError(Error.newBuilder().setCode(error.code().name()).setMessage(error.getMessage()))).build());
            }
        });
    }

    private void pollAll() {
        topics.forEach(this::poll);
    }

    /** One long poll for {@code topic}, if the client has credits for every message already on its way. */
    private void poll(String topic) {
        if (state != State.ACTIVE || polling.contains(topic) || polling.size() >= credits || response.writeQueueFull()) {
            return;
        }
        polling.add(topic);
        clusters.consume(cluster, new ConsumeRequest(group, topic, AckMode.NONE, -1, -1, initialOffset))
                .onComplete(done -> {
                    polling.remove(topic);
                    if (done.succeeded()) {
                        deliver(done.result());
                        poll(topic);
                    } else {
                        retryOrEnd(topic, GatewayException.from(done.cause()));
                    }
                });
    }

    private void deliver(ConsumedMessage m) {
        AckRequest pending = new AckRequest(group, m.topic(), m.partition(), m.offset());
        if (state != State.ACTIVE) {
            clusters.offerAgainNow(cluster, pending);
            return;
        }
        credits--;
        unacked.add(pending);
        Message.Builder message = Message.newBuilder().setTopic(m.topic()).setPartition(m.partition()).setOffset(m.offset())
                .setValue(ProduceStream.bytes(m.value()));
        if (m.key() == null) {
            message.setKeyUndefined(true);
        } else {
            message.setKey(ProduceStream.bytes(m.key()));
        }
        m.headers().forEach(h -> message.addHeaders(Header.newBuilder().setKey(h.key()).setValue(ProduceStream.bytes(h.value()))));
        response.write(ConsumeResponse.newBuilder().setMessage(message).build());
    }

    private void retryOrEnd(String topic, GatewayException error) {
        if (state != State.ACTIVE) {
            return;
        }
        if (error.code() == ErrorCode.REQUEST_TIMED_OUT) {
            poll(topic);
        } else if (error.code() == ErrorCode.THROTTLING_QUOTA_EXCEEDED) {
            vertx.setTimer(RETRY_MILLIS, id -> poll(topic));
        } else {
            fail(GrpcErrors.of(error, GrpcErrors.Call.OTHER));
        }
    }

    private void fail(StatusException status) {
        if (state == State.CLOSED) {
            return;
        }
        close();
        response.fail(status);
    }

    /** Stops polling; what was handed out here and not acknowledged is offered again at once. */
    private void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        unacked.forEach(pending -> clusters.offerAgainNow(cluster, pending));
        unacked.clear();
    }
}
