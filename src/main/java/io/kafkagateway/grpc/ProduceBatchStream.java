package io.kafkagateway.grpc;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.grpc.v1.KafkaGatewayGrpcService;
import io.kafkagateway.grpc.v1.ProduceBatch;
import io.kafkagateway.grpc.v1.ProduceResults;
import io.kafkagateway.stream.ProduceSession;
import io.vertx.grpc.server.GrpcServerRequest;

import java.util.ArrayDeque;

/**
 * A gRPC {@code ProduceBatches} stream: the messages of each request are produced like those of a {@code Produce}
 * stream, and their results go back together, one {@link ProduceResults} per request, in order.
 */
final class ProduceBatchStream extends ProduceCall<ProduceBatch, ProduceResults> {

    /** Messages per request at most: one request may fill the session's window, not overflow it. */
    static final int MAX_MESSAGES = ProduceSession.WINDOW;

    /** Message counts of the requests whose results are not all written yet, oldest first. */
    private final ArrayDeque<Integer> sizes = new ArrayDeque<>();
    private ProduceResults.Builder pending = ProduceResults.newBuilder();

    ProduceBatchStream(ClusterClient clusters, GrpcMessages messages, GrpcServerRequest<ProduceBatch, ProduceResults> request) {
        super(clusters, messages, KafkaGatewayGrpcService.ProduceBatches.decoder(), request);
    }

    @Override
    void received(ProduceBatch batch) {
        int count = batch.getMessagesCount();
        if (count == 0 || count > MAX_MESSAGES) {
            fail(GrpcErrors.invalid("a ProduceBatch carries 1 to " + MAX_MESSAGES + " messages, this one has "
                    + count + "; split it"));
            return;
        }
        sizes.addLast(count);
        batch.getMessagesList().forEach(this::produce);
    }

    @Override
    public void outcome(ProduceSession.Outcome<Long> outcome) {
        pending.addResults(result(outcome));
        if (pending.getResultsCount() == sizes.peekFirst()) {
            sizes.pollFirst();
            response.write(pending.build());
            pending = ProduceResults.newBuilder();
        }
    }
}
