package io.kafkagateway.grpc;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.grpc.v1.ConsumeRequest;
import io.kafkagateway.grpc.v1.ConsumeResponse;
import io.kafkagateway.grpc.v1.KafkaGatewayService;
import io.kafkagateway.grpc.v1.ProduceBatch;
import io.kafkagateway.grpc.v1.ProduceRequest;
import io.kafkagateway.grpc.v1.ProduceResult;
import io.kafkagateway.grpc.v1.ProduceResults;
import io.kafkagateway.stream.OpenSessions;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerRequest;

/** The streaming service {@code kafkagateway.v1.KafkaGateway}: one {@link ProduceStream},
 * {@link ProduceBatchStream} or {@link ConsumeStream} per call. */
public final class StreamService extends KafkaGatewayService {

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final long maxCredits;
    private final OpenSessions sessions;
    private final GrpcMessages messages;

    /** {@code maxCredits}: the most a consume stream may hold ({@code grpc_max_credits}). */
    StreamService(Vertx vertx, ClusterClient clusters, long maxCredits, OpenSessions sessions, GrpcMessages messages) {
        this.messages = messages;
        this.vertx = vertx;
        this.clusters = clusters;
        this.maxCredits = maxCredits;
        this.sessions = sessions;
    }

    @Override
    protected void produce(ReadStream<ProduceRequest> request, WriteStream<ProduceResult> response) {
        new ProduceStream(clusters, messages, (GrpcServerRequest<ProduceRequest, ProduceResult>) request).start();
    }

    @Override
    protected void produceBatches(ReadStream<ProduceBatch> request, WriteStream<ProduceResults> response) {
        new ProduceBatchStream(clusters, messages, (GrpcServerRequest<ProduceBatch, ProduceResults>) request).start();
    }

    @Override
    protected void consume(ReadStream<ConsumeRequest> request, WriteStream<ConsumeResponse> response) {
        new ConsumeStream(vertx, clusters, maxCredits, sessions, messages, (GrpcServerRequest<ConsumeRequest, ConsumeResponse>) request).start();
    }
}
