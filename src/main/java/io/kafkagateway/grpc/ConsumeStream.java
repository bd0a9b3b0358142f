package io.kafkagateway.grpc;

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
import io.kafkagateway.stream.Subscription;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.List;

/**
 * A gRPC consume stream on a {@link ConsumeSession}: the first request subscribes, then credits and acknowledgements
 * arrive on the same stream. Misuse ends the stream with INVALID_ARGUMENT. Confined to the grpc-api verticle's event
 * loop.
 */
final class ConsumeStream implements ConsumeSession.Sink {

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final GrpcServerRequest<io.kafkagateway.grpc.v1.ConsumeRequest, ConsumeResponse> request;
    private final GrpcServerResponse<io.kafkagateway.grpc.v1.ConsumeRequest, ConsumeResponse> response;
    private ConsumeSession session;
    private boolean ended;

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
            if (!ended) {
                ended = true;
                response.end();
            }
        });
        request.exceptionHandler(failure -> close());
        // A client that cancels, or a connection that breaks, resets the stream: that arrives here.
        request.errorHandler(error -> close());
        response.drainHandler(v -> {
            if (session != null) {
                session.resume();
            }
        });
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
                session = ConsumeSession.start(vertx, clusters, subscription(rq.getSubscribe()), Subscription.MAX_CREDITS, this);
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
            close();
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
    public void messages(List<ConsumedMessage> messages) {
        if (session.subscription().batch()) {
            response.write(ConsumeResponse.newBuilder().setBatch(StreamMessages.batch(messages)).build());
        } else {
            messages.forEach(m -> response.write(ConsumeResponse.newBuilder().setMessage(StreamMessages.message(m)).build()));
        }
    }

    @Override
    public void ackFailed(AckRequest ack, GatewayException error) {
        Ack rejected = Ack.newBuilder().setTopic(ack.topic()).setPartition(ack.partition()).setOffset(ack.offset()).build();
        response.write(ConsumeResponse.newBuilder().setNotice(Notice.newBuilder().setAck(rejected)
                .setError(StreamMessages.error(error))).build());
    }

    @Override
    public void failed(GatewayException error) {
        if (!ended) {
            ended = true;
            response.fail(GrpcErrors.of(error, GrpcErrors.Call.OTHER));
        }
    }

    private void close() {
        if (session != null) {
            session.close();
        }
    }
}
