package io.kafkagateway.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kafkagateway.grpc.v1.Ack;
import io.kafkagateway.grpc.v1.ConsumeRequest;
import io.kafkagateway.grpc.v1.ConsumeResponse;
import io.kafkagateway.grpc.v1.InitialOffset;
import io.kafkagateway.grpc.v1.KafkaGatewayGrpc;
import io.kafkagateway.grpc.v1.Message;
import io.kafkagateway.grpc.v1.Subscribe;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A stopping gateway keeps consume streams open through its drain, so that what they hold can be acknowledged. */
@ExtendWith(KafkaClusterExtension.class)
class StreamDrainIT {

    KafkaCluster cluster;

    @Test
    void anAcknowledgementDuringTheDrainCountsAndTheStreamEndsUnavailableAfterIt() throws Exception {
        // Given: a consume stream holding one unacknowledged message
        KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers());
        String topic = kafka.newTopic(1);
        GatewayTester gateway = GatewayTester.start("shutdown_drain: 2s\nproxies:\n  default:\n    kafka: {seed_peers: ["
                + cluster.getBootstrapServers() + "]}\n    consumer: {long_polling_timeout: 500ms}\n", true);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
        assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "m").status()).isEqualTo(200);
        StreamingGrpcIT.Received<ConsumeResponse> received = new StreamingGrpcIT.Received<>();
        StreamObserver<ConsumeRequest> requests = KafkaGatewayGrpc.newStub(channel).consume(received);
        requests.onNext(ConsumeRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setGroup("drained").addTopics(topic)
                .setCredits(1).setInitialOffset(InitialOffset.INITIAL_OFFSET_EARLIEST)).build());
        Message message = received.take().getMessage();
        assertThat(message.getOffset()).isZero();

        // When: the gateway stops; once it is draining, the client acknowledges the message
        var stopped = gateway.gateway().stop().toCompletionStage().toCompletableFuture();
        await().until(() -> gateway.getManagement("/ready").status() == 503);
        assertThat(received.end).as("the stream stays open while draining").isNotDone();
        requests.onNext(ConsumeRequest.newBuilder().setAck(Ack.newBuilder().setTopic(topic).setPartition(0).setOffset(0)).build());

        // Then: the stream ends with UNAVAILABLE after the drain, and the acknowledgement was committed
        assertThat(received.end.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        stopped.get(60, TimeUnit.SECONDS);
        var committed = kafka.admin().listConsumerGroupOffsets("drained").partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .get(new TopicPartition(topic, 0));
        assertThat(committed.offset()).isEqualTo(1);
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        kafka.close();
    }
}
