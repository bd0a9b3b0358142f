package io.kafkagateway.grpc;

import io.kafkagateway.stream.StreamMessages;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.grpc.v1.ProduceResult;
import io.kafkagateway.stream.ProduceSession;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;
import io.vertx.grpc.common.GrpcMessageDecoder;

import java.util.List;

/**
 * What the two produce calls share: a {@link ProduceSession} fed from the request stream, whose outcomes are tagged with
 * the message's position in the stream, and which stops reading while the response cannot take more. Confined to the
 * grpc-api verticle's event loop.
 *
 * @param <Q> the request stream's message
 * @param <R> the response stream's message
 */
abstract class ProduceCall<Q, R> implements ProduceSession.Sink<Long> {

    protected final GrpcServerRequest<Q, R> request;
    protected final GrpcServerResponse<Q, R> response;
    protected final ProduceSession<Long> session;
    private final GrpcMessages messages;
    private final GrpcMessageDecoder<Q> decoder;
    private long sequence;
    /** The stream was failed, or reset: later messages are not produced. */
    private boolean stopped;

    ProduceCall(ClusterClient clusters, GrpcMessages messages, GrpcMessageDecoder<Q> decoder, GrpcServerRequest<Q, R> request) {
        this.request = request;
        this.response = request.response();
        this.session = new ProduceSession<>(clusters, this);
        this.messages = messages;
        this.decoder = decoder;
    }

    final void start() {
        messages.handler(request, decoder, message -> {
            if (!stopped) {
                received(message);
            }
        }, this::fail);
        request.endHandler(v -> session.endInput());
        request.exceptionHandler(failure -> stop());
        request.errorHandler(error -> stop());
        // A reset after the client half-closed reaches only the response.
        response.exceptionHandler(failure -> stop());
        response.drainHandler(v -> session.flush());
    }

    private void stop() {
        stopped = true;
        session.close();
    }

    /**
     * Ends the stream with {@code status} (a message that does not decode, a batch refused): what the session had
     * sent is produced all the same, its outcomes are dropped, later messages are not produced.
     */
    final void fail(StatusException status) {
        if (!stopped) {
            stop();
            response.fail(status);
        }
    }

    /** One message of the request stream arrived. */
    abstract void received(Q message);

    /** Produces one requested message, tagged with its position in the stream. */
    final void produce(io.kafkagateway.grpc.v1.ProduceRequest rq) {
        session.produce(rq.getCluster(), message(rq), sequence++);
    }

    /** The message a request asks for, always produced synchronously. */
    static ProduceRequest message(io.kafkagateway.grpc.v1.ProduceRequest rq) {
        return new ProduceRequest(rq.getTopic(), rq.getKeyUndefined() ? null : rq.getKey().toByteArray(),
                rq.getValue().toByteArray(), rq.getHeadersCount() == 0 ? List.of()
                : rq.getHeadersList().stream().map(h -> new RecordHeader(h.getKey(), h.getValue().toByteArray())).toList(), true);
    }

    /** A message's result for the client: where it landed, or its error with partition and offset -1. */
    static ProduceResult result(ProduceSession.Outcome<Long> outcome) {
        ProduceResult.Builder result = ProduceResult.newBuilder().setSequence(outcome.tag());
        if (outcome.error() == null) {
            result.setPartition(outcome.result().partition()).setOffset(outcome.result().offset());
        } else {
            result.setPartition(-1).setOffset(-1).setError(StreamMessages.error(outcome.error()));
        }
        return result.build();
    }

    @Override
    public final boolean full() {
        return response.writeQueueFull();
    }

    @Override
    public final void reading(boolean on) {
        if (on) {
            request.resume();
        } else {
            request.pause();
        }
    }

    @Override
    public final void finished() {
        response.end();
    }
}
