package io.kafkagateway.grpc;

import com.google.protobuf.ByteString;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.grpc.v1.Error;
import io.kafkagateway.grpc.v1.ProduceResult;
import io.vertx.core.Future;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.ArrayDeque;

/**
 * One client's produce stream. Every message is produced as a sync produce, up to {@link #WINDOW} at once; results
 * are written in the order the messages came, each with its own outcome, so one slow or failing message holds up
 * neither the others' production nor the stream. Reading pauses while the window or the client's receive side is
 * full. Confined to the grpc-api verticle's event loop.
 */
final class ProduceStream {

    static final int WINDOW = 1024;

    private final ClusterClient clusters;
    private final GrpcServerRequest<io.kafkagateway.grpc.v1.ProduceRequest, ProduceResult> request;
    private final GrpcServerResponse<io.kafkagateway.grpc.v1.ProduceRequest, ProduceResult> response;
    private final ArrayDeque<Future<ProduceResult>> results = new ArrayDeque<>();
    private long sequence;
    private boolean ended;
    private boolean paused;
    private boolean broken;

    ProduceStream(ClusterClient clusters, GrpcServerRequest<io.kafkagateway.grpc.v1.ProduceRequest, ProduceResult> request) {
        this.clusters = clusters;
        this.request = request;
        this.response = request.response();
    }

    void start() {
        request.handler(this::produce);
        request.endHandler(v -> {
            ended = true;
            flush();
        });
        request.exceptionHandler(failure -> broken = true);
        request.errorHandler(error -> broken = true);
        response.drainHandler(v -> flush());
    }

    private void produce(io.kafkagateway.grpc.v1.ProduceRequest rq) {
        long position = sequence++;
        Future<ProduceResult> result;
        try {
            String cluster = clusters.resolve(rq.getCluster());
            ProduceRequest message = new ProduceRequest(rq.getTopic(), rq.getKeyUndefined() ? null : rq.getKey().toByteArray(),
                    rq.getValue().toByteArray(),
                    rq.getHeadersList().stream().map(h -> new RecordHeader(h.getKey(), h.getValue().toByteArray())).toList(), true);
            result = clusters.produce(cluster, message)
                    .map(done -> ProduceResult.newBuilder().setSequence(position).setPartition(done.partition()).setOffset(done.offset()).build())
                    .recover(failure -> Future.succeededFuture(failed(position, failure)));
        } catch (GatewayException e) {
            result = Future.succeededFuture(failed(position, e));
        }
        results.addLast(result);
        result.onComplete(done -> flush());
        if (results.size() >= WINDOW && !paused) {
            paused = true;
            request.pause();
        }
    }

    static ProduceResult failed(long position, Throwable failure) {
        GatewayException error = GatewayException.from(failure);
        return ProduceResult.newBuilder().setSequence(position).setPartition(-1).setOffset(-1)
                .setError(Error.newBuilder().setCode(error.code().name()).setMessage(error.getMessage())).build();
    }

    /** Writes the results that are ready, in order; resumes reading when there is room; ends once all are written. */
    private void flush() {
        if (broken) {
            return;
        }
        while (!results.isEmpty() && results.peekFirst().isComplete() && !response.writeQueueFull()) {
            response.write(results.pollFirst().result());
        }
        if (paused && results.size() < WINDOW / 2 && !response.writeQueueFull()) {
            paused = false;
            request.resume();
        }
        if (ended && results.isEmpty()) {
            response.end();
        }
    }

    static ByteString bytes(byte[] value) {
        return value == null ? ByteString.EMPTY : ByteString.copyFrom(value);
    }
}
