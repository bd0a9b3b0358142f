package io.kafkagateway.grpc;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.grpc.v1.KafkaGatewayGrpcService;
import io.kafkagateway.grpc.v1.ProduceRequest;
import io.kafkagateway.grpc.v1.ProduceResult;
import io.kafkagateway.stream.ProduceSession;
import io.vertx.grpc.server.GrpcServerRequest;

/** A gRPC {@code Produce} stream: each message's result, in order, tagged with its position in the stream. */
final class ProduceStream extends ProduceCall<ProduceRequest, ProduceResult> {

    ProduceStream(ClusterClient clusters, GrpcMessages messages, GrpcServerRequest<ProduceRequest, ProduceResult> request) {
        super(clusters, messages, KafkaGatewayGrpcService.Produce.decoder(), request);
    }

    @Override
    void received(ProduceRequest message) {
        produce(message);
    }

    @Override
    public void outcome(ProduceSession.Outcome<Long> outcome) {
        response.write(result(outcome));
    }
}
