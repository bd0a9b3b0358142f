package io.kafkagateway.grpc;

import io.kafkagateway.stream.StreamMessages;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.grpc.v1.Ack;
import io.kafkagateway.grpc.v1.ConsumeRequest.RequestCase;
import io.kafkagateway.grpc.v1.ConsumeResponse;
import io.kafkagateway.grpc.v1.Notice;
import io.kafkagateway.grpc.v1.Subscribe;
import io.kafkagateway.stream.ConsumeSession;
import io.kafkagateway.stream.OpenSessions;
import io.kafkagateway.stream.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;
import io.kafkagateway.grpc.v1.KafkaGatewayGrpcService;

import java.util.List;

/**
 * A gRPC consume stream on a {@link ConsumeSession}: the first request subscribes, then credits and acknowledgements
 * arrive on the same stream. Misuse ends the stream with INVALID_ARGUMENT. Confined to the grpc-api verticle's event
 * loop.
 */
final class ConsumeStream implements ConsumeSession.Sink, OpenSessions.Session {

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final long maxCredits;
    private final OpenSessions sessions;
    private final GrpcMessages messages;
    private final GrpcServerRequest<io.kafkagateway.grpc.v1.ConsumeRequest, ConsumeResponse> request;
    private final GrpcServerResponse<io.kafkagateway.grpc.v1.ConsumeRequest, ConsumeResponse> response;
    private OpenSessions.Entry open;
    private ConsumeSession session;
    private boolean ended;
    private long subscribeTimer = -1;

    ConsumeStream(Vertx vertx, ClusterClient clusters, long maxCredits, OpenSessions sessions, GrpcMessages messages,
                  GrpcServerRequest<io.kafkagateway.grpc.v1.ConsumeRequest, ConsumeResponse> request) {
        this.vertx = vertx;
        this.messages = messages;
        this.clusters = clusters;
        this.maxCredits = maxCredits;
        this.sessions = sessions;
        this.request = request;
        this.response = request.response();
    }

    void start() {
        if (sessions.draining()) {
            ended = true;
            response.fail(GrpcErrors.of(GatewayException.unavailable("the gateway is shutting down"), GrpcErrors.Call.OTHER));
            return;
        }
        open = sessions.opened(vertx.getOrCreateContext(), this);
        // A stream that never subscribes holds a slot of its connection for nothing.
        subscribeTimer = messages.awaitMessage(request, "subscribe", status -> {
            subscribeTimer = -1;
            if (session == null) {
                failed(status);
            }
        });
        messages.handler(request, KafkaGatewayGrpcService.Consume.decoder(), this::onRequest, this::failed);
        request.endHandler(v -> {
            release();
            if (!ended) {
                ended = true;
                response.end();
            }
        });
        request.exceptionHandler(failure -> release());
        // A client that cancels, or a connection that breaks, resets the stream: that arrives here, or (when the client
        // had half-closed the stream first) only at the response.
        request.errorHandler(error -> {
            // Nothing more may be written to a reset stream, its end neither (Vert.x throws).
            ended = true;
            release();
        });
        response.exceptionHandler(failure -> release());
        response.drainHandler(v -> {
            if (session != null) {
                session.resume();
            }
        });
    }

    /** The gateway is stopping: no more messages, but the client's acknowledgements count until {@link #close()}. */
    @Override
    public void drain() {
        if (session != null) {
            session.drain();
        }
    }

    /** The end of the drain: the stream ends with UNAVAILABLE, and what was not acknowledged is offered again. */
    @Override
    public void close() {
        failed(GatewayException.unavailable("the gateway is shutting down"));
    }

    private void onRequest(io.kafkagateway.grpc.v1.ConsumeRequest rq) {
        if (ended) {
            return;
        }
        try {
            RequestCase kind = rq.getRequestCase();
            if (kind == RequestCase.SUBSCRIBE) {
                if (session != null) {
                    throw GatewayException.invalid("a consume stream subscribes once");
                }
                session = ConsumeSession.start(vertx, clusters, subscription(rq.getSubscribe()), maxCredits, this);
            } else if (session == null) {
                throw GatewayException.invalid("the first request on a consume stream must be a subscribe");
            } else if (kind == RequestCase.CREDITS) {
                session.grant(rq.getCredits().getCount());
            } else if (kind == RequestCase.ACK) {
                Ack ack = rq.getAck();
                session.ack(ack.getTopic(), ack.getPartition(), ack.getOffset());
            } else {
                throw GatewayException.invalid("a consume request must hold a subscribe, credits or an ack");
            }
        } catch (GatewayException e) {
            failed(e);
        }
    }

    private static Subscription subscription(Subscribe subscribe) {
        InitialOffset start = switch (subscribe.getInitialOffset()) {
            case INITIAL_OFFSET_EARLIEST -> InitialOffset.EARLIEST;
            case INITIAL_OFFSET_LATEST -> InitialOffset.LATEST;
            default -> null;
        };
        return new Subscription(subscribe.getCluster(), subscribe.getGroup(), subscribe.getTopicsList(), start,
                Integer.toUnsignedLong(subscribe.getCredits()), subscribe.getAutoAck(), subscribe.getBatch());
    }

    @Override
    public boolean full() {
        return response.writeQueueFull();
    }

    @Override
    public Future<Void> messages(List<ConsumedMessage> messages) {
        if (ended) {
            return Future.failedFuture("the stream has ended");
        }
        if (session.subscription().batch()) {
            return response.write(ConsumeResponse.newBuilder().setBatch(StreamMessages.batch(messages)).build());
        }
        Future<Void> last = null;
        for (ConsumedMessage m : messages) {
            last = response.write(ConsumeResponse.newBuilder().setMessage(StreamMessages.message(m)).build());
        }
        return last;
    }

    @Override
    public void ackFailed(AckRequest ack, GatewayException error) {
        Ack rejected = Ack.newBuilder().setTopic(ack.topic()).setPartition(ack.partition()).setOffset(ack.offset()).build();
        response.write(ConsumeResponse.newBuilder().setNotice(Notice.newBuilder().setAck(rejected)
                .setError(StreamMessages.error(error))).build());
    }

    @Override
    public void failed(GatewayException error) {
        failed(GrpcErrors.of(error, GrpcErrors.Call.OTHER));
    }

    private void failed(StatusException status) {
        if (!ended) {
            ended = true;
            if (session == null) {
                // Before the subscribe nothing was written: the stream may be reset after its status.
                GrpcMessages.failUnwritten(response, status);
            } else {
                response.fail(status);
            }
        }
        release();
    }

    /** Lets go of the session (what it did not acknowledge is offered again at once); safe to repeat. */
    private void release() {
        if (subscribeTimer >= 0) {
            messages.cancel(subscribeTimer);
            subscribeTimer = -1;
        }
        if (session != null) {
            session.close();
        }
        if (open != null) {
            sessions.finished(open);
            open = null;
        }
    }
}
