package io.kafkagateway.grpc;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.grpc.v1.ProduceResult;
import io.kafkagateway.stream.ProduceSession;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * A gRPC produce stream on a {@link ProduceSession}: each message's result, in order, tagged with its position in the
 * stream. Confined to the grpc-api verticle's event loop.
 */
final class ProduceStream implements ProduceSession.Sink<Long> {

    private final GrpcServerRequest<io.kafkagateway.grpc.v1.ProduceRequest, ProduceResult> request;
    private final GrpcServerResponse<io.kafkagateway.grpc.v1.ProduceRequest, ProduceResult> response;
    private final ProduceSession<Long> session;
    private long sequence;

    ProduceStream(ClusterClient clusters, GrpcServerRequest<io.kafkagateway.grpc.v1.ProduceRequest, ProduceResult> request) {
        this.request = request;
        this.response = request.response();
        this.session = new ProduceSession<>(clusters, this);
    }

    void start() {
        request.handler(this::produce);
        request.endHandler(v -> session.endInput());
        request.exceptionHandler(failure -> session.close());
        request.errorHandler(error -> session.close());
        response.drainHandler(v -> session.flush());
    }

    private void produce(io.kafkagateway.grpc.v1.ProduceRequest rq) {
        ProduceRequest message = new ProduceRequest(rq.getTopic(), rq.getKeyUndefined() ? null : rq.getKey().toByteArray(),
                rq.getValue().toByteArray(),
                rq.getHeadersList().stream().map(h -> new RecordHeader(h.getKey(), h.getValue().toByteArray())).toList(), true);
        session.produce(rq.getCluster(), message, sequence++);
    }

    @Override
    public boolean full() {
        return response.writeQueueFull();
    }

    @Override
    public void outcome(ProduceSession.Outcome<Long> outcome) {
        ProduceResult.Builder result = ProduceResult.newBuilder().setSequence(outcome.tag());
        if (outcome.error() == null) {
            result.setPartition(outcome.result().partition()).setOffset(outcome.result().offset());
        } else {
            result.setPartition(-1).setOffset(-1).setError(StreamMessages.error(outcome.error()));
        }
        response.write(result.build());
    }

    @Override
    public void reading(boolean on) {
        if (on) {
            request.resume();
        } else {
            request.pause();
        }
    }

    @Override
    public void finished() {
        response.end();
    }

}
