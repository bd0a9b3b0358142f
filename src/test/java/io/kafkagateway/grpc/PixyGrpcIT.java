package io.kafkagateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.kafkagateway.grpc.pixy.AckRq;
import io.kafkagateway.grpc.pixy.ConsNAckRq;
import io.kafkagateway.grpc.pixy.ConsRs;
import io.kafkagateway.grpc.pixy.GetOffsetsRq;
import io.kafkagateway.grpc.pixy.GetTopicMetadataRq;
import io.kafkagateway.grpc.pixy.GetTopicMetadataRs;
import io.kafkagateway.grpc.pixy.KafkaPixyGrpc;
import io.kafkagateway.grpc.pixy.ListConsumersRq;
import io.kafkagateway.grpc.pixy.ListConsumersRs;
import io.kafkagateway.grpc.pixy.ListTopicRq;
import io.kafkagateway.grpc.pixy.PartitionOffset;
import io.kafkagateway.grpc.pixy.ProdRq;
import io.kafkagateway.grpc.pixy.ProdRs;
import io.kafkagateway.grpc.pixy.RecordHeader;
import io.kafkagateway.grpc.pixy.SetOffsetsRq;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Kafka-Pixy's gRPC contract, called with the grpc-java client generated from the same proto, against a real broker:
 * Pixy's gRPC scenarios and every status code.
 */
@ExtendWith(KafkaClusterExtension.class)
class PixyGrpcIT {

    static KafkaCluster cluster;
    static GatewayTester gateway;
    static KafkaProbe kafka;
    static ManagedChannel channel;
    static KafkaPixyGrpc.KafkaPixyBlockingStub stub;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        String peers = "kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}";
        gateway = GatewayTester.start("""
                proxies:
                  main:
                    %1$s
                    consumer: {initial_offset: earliest, long_polling_timeout: 500ms, offsets_commit_interval: 100ms}
                  queue1:
                    %1$s
                    consumer: {initial_offset: earliest, long_polling_timeout: 1s, channel_buffer_size: 1}
                  off:
                    %1$s
                    consumer: {disabled: true}
                  parking:
                    %1$s
                    consumer: {initial_offset: earliest, long_polling_timeout: 20s}
                """.formatted(peers), true);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
        stub = KafkaPixyGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        gateway.close();
        kafka.close();
    }

    /** The stub with a deadline of its own per call (a deadline set once would run out for the whole class). */
    private static KafkaPixyGrpc.KafkaPixyBlockingStub pixy() {
        return stub.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static String group() {
        return "g-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ByteString text(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static ProdRs produce(String topic, String key, String message) {
        ProdRq.Builder rq = ProdRq.newBuilder().setTopic(topic).setMessage(text(message));
        if (key == null) {
            rq.setKeyUndefined(true);
        } else {
            rq.setKeyValue(text(key));
        }
        return pixy().produce(rq.build());
    }

    /** The next message, asking again on NOT_FOUND (long-polling timeout) as Pixy clients do. */
    private static ConsRs next(ConsNAckRq rq) {
        ConsRs[] received = {null};
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            try {
                received[0] = pixy().consumeNAck(rq);
                return true;
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                return false;
            }
        });
        return received[0];
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        return Status.Code.OK;
    }

    @Test
    void asyncProduceAnswersMinusOneAndKeysSpreadAsKafkaPixyPlacesThem() {
        // Given
        String topic = kafka.newTopic(4);

        // When: keys "0".."9", async
        List<ProdRs> answers = IntStream.range(0, 10).mapToObj(i -> pixy().produce(ProdRq.newBuilder().setTopic(topic)
                .setKeyValue(text(Integer.toString(i))).setMessage(text("m" + i)).setAsyncMode(true).build())).toList();

        // Then
        assertThat(answers).allSatisfy(rs -> {
            assertThat(rs.getPartition()).isEqualTo(-1);
            assertThat(rs.getOffset()).isEqualTo(-1);
        });
        await().untilAsserted(() -> assertThat(kafka.endOffsets(topic)).isEqualTo(Map.of(0, 3L, 1, 2L, 2, 2L, 3, 3L)));
    }

    @Test
    void syncProducePlacesKeysLikeKafkaPixy() {
        String topic = kafka.newTopic(4);
        assertThat(produce(topic, "bar", "m").getPartition()).isEqualTo(2);
        assertThat(pixy().produce(ProdRq.newBuilder().setTopic(topic).setMessage(text("default key")).build()).getPartition())
                .as("an unset key is the empty key").isEqualTo(3);
    }

    @Test
    void undefinedKeysSpreadOverPartitions() {
        String topic = kafka.newTopic(4);
        Map<Integer, Long> perPartition = IntStream.range(0, 40).mapToObj(i -> produce(topic, null, "m" + i))
                .collect(Collectors.groupingBy(ProdRs::getPartition, TreeMap::new, Collectors.counting()));
        assertThat(perPartition).hasSizeGreaterThan(1);
        assertThat(kafka.records(topic, 40)).allSatisfy(r -> assertThat(r.key()).isNull());
    }

    @Test
    void headersRoundTrip() {
        // Given
        String topic = kafka.newTopic(1);
        pixy().produce(ProdRq.newBuilder().setTopic(topic).setKeyValue(text("k")).setMessage(text("with headers"))
                .addHeaders(RecordHeader.newBuilder().setKey("trace").setValue(text("abc")))
                .addHeaders(RecordHeader.newBuilder().setKey("empty").setValue(ByteString.EMPTY)).build());

        // When
        ConsRs rs = next(ConsNAckRq.newBuilder().setTopic(topic).setGroup(group()).setAutoAck(true).build());

        // Then
        assertThat(rs.getHeadersList()).extracting(RecordHeader::getKey).containsExactly("trace", "empty");
        assertThat(rs.getHeaders(0).getValue().toStringUtf8()).isEqualTo("abc");
        ConsumerRecord<byte[], byte[]> record = kafka.records(topic, 1).get(0);
        assertThat(new String(record.headers().lastHeader("trace").value(), StandardCharsets.UTF_8)).isEqualTo("abc");
    }

    @Test
    void autoAckNoAckAndExplicitAckLoops() {
        // Given
        String topic = kafka.newTopic(1);
        IntStream.range(0, 9).forEach(i -> produce(topic, null, "m" + i));

        // auto-ack: offsets advance as messages are handed out
        String auto = group();
        for (int i = 0; i < 3; i++) {
            assertThat(next(ConsNAckRq.newBuilder().setTopic(topic).setGroup(auto).setAutoAck(true).build()).getOffset()).isEqualTo(i);
        }
        await().untilAsserted(() -> assertThat(offsets(topic, auto).get(0).getOffset()).isEqualTo(3));

        // no-ack: nothing committed beyond the start
        String none = group();
        for (int i = 0; i < 3; i++) {
            assertThat(next(ConsNAckRq.newBuilder().setTopic(topic).setGroup(none).setNoAck(true).build()).getOffset()).isEqualTo(i);
        }
        await().untilAsserted(() -> assertThat(offsets(topic, none).get(0).getOffset()).isZero());

        // explicit: the first no_ack, each next acknowledges the previous, a final Ack
        String explicit = group();
        ConsRs previous = next(ConsNAckRq.newBuilder().setTopic(topic).setGroup(explicit).setNoAck(true).build());
        for (int i = 1; i < 9; i++) {
            ConsRs next = next(ConsNAckRq.newBuilder().setTopic(topic).setGroup(explicit)
                    .setAckPartition(previous.getPartition()).setAckOffset(previous.getOffset()).build());
            assertThat(next.getOffset()).isEqualTo(i);
            previous = next;
        }
        pixy().ack(AckRq.newBuilder().setTopic(topic).setGroup(explicit).setPartition(0).setOffset(previous.getOffset()).build());
        await().untilAsserted(() -> assertThat(offsets(topic, explicit).get(0).getOffset()).isEqualTo(9));
    }

    private static List<PartitionOffset> offsets(String topic, String group) {
        return pixy().getOffsets(GetOffsetsRq.newBuilder().setTopic(topic).setGroup(group).build()).getOffsetsList();
    }

    @Test
    void getOffsetsLagFallsAsMessagesAreAcknowledged() {
        // Given: a group positioned at the start of a topic holding one message
        String topic = kafka.newTopic(1);
        String group = group();
        pixy().setOffsets(SetOffsetsRq.newBuilder().setTopic(topic).setGroup(group)
                .addOffsets(PartitionOffset.newBuilder().setPartition(0).setOffset(0)).build());
        produce(topic, null, "one");
        assertThat(offsets(topic, group).get(0).getLag()).isEqualTo(1);

        // When
        next(ConsNAckRq.newBuilder().setTopic(topic).setGroup(group).setAutoAck(true).build());

        // Then
        await().untilAsserted(() -> assertThat(offsets(topic, group).get(0).getLag()).isZero());
        PartitionOffset offset = offsets(topic, group).get(0);
        assertThat(offset.getBegin()).isZero();
        assertThat(offset.getEnd()).isEqualTo(1);
        assertThat(offset.getCount()).isEqualTo(1);
    }

    @Test
    void aConsumeOfAMissingTopicDoesNotDisturbAnotherTopicOfTheGroup() {
        String topic = kafka.newTopic(1);
        String group = group();
        produce(topic, null, "here");
        assertThat(code(() -> pixy().consumeNAck(ConsNAckRq.newBuilder().setTopic("never-created-" + group).setGroup(group)
                .setAutoAck(true).build()))).isEqualTo(Status.Code.NOT_FOUND);
        // A client loops on NOT_FOUND; the group rebalances onto the second topic and its message arrives.
        List<String> received = new ArrayList<>();
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            try {
                received.add(pixy().consumeNAck(ConsNAckRq.newBuilder().setTopic(topic).setGroup(group).setAutoAck(true).build())
                        .getMessage().toStringUtf8());
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            }
            return !received.isEmpty();
        });
        assertThat(received).containsExactly("here");
    }

    @Test
    void aLongPollWithNothingToConsumeIsNotFound() {
        String topic = kafka.newTopic(1);
        StatusRuntimeException timeout = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> pixy().consumeNAck(ConsNAckRq.newBuilder().setTopic(topic).setGroup(group()).setAutoAck(true).build()));
        assertThat(timeout.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(timeout.getStatus().getDescription()).isEqualTo("long polling timeout");
    }

    @Test
    void aMessageArrivingAfterTheClientCancelledGoesToTheNextCall() {
        // Given: a group that has joined (its first message consumed), then a call whose long poll is parked
        String topic = kafka.newTopic(1);
        ConsNAckRq rq = ConsNAckRq.newBuilder().setCluster("parking").setTopic(topic).setGroup(group()).setAutoAck(true).build();
        pixy().produce(ProdRq.newBuilder().setCluster("parking").setTopic(topic).setKeyUndefined(true).setMessage(text("first")).build());
        assertThat(pixy().consumeNAck(rq).getOffset()).isZero();
        CompletableFuture<Status.Code> cancelled = CompletableFuture.supplyAsync(
                () -> code(() -> KafkaPixyGrpc.newBlockingStub(channel).withDeadlineAfter(3, TimeUnit.SECONDS).consumeNAck(rq)));
        await().until(() -> gateway.waitingRequests("parking") == 1);

        // When: the client's deadline cancels the call, and a message arrives
        assertThat(cancelled.join()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        pixy().produce(ProdRq.newBuilder().setCluster("parking").setTopic(topic).setKeyUndefined(true).setMessage(text("second")).build());

        // Then: the next call gets it; the auto-acknowledging poll of the cancelled call did not take it
        ConsRs next = pixy().consumeNAck(rq);
        assertThat(next.getOffset()).isEqualTo(1);
        assertThat(next.getMessage().toStringUtf8()).isEqualTo("second");
        assertThat(gateway.waitingRequests("parking")).isZero();
    }


    @Test
    void metadataAndConsumers() {
        // Given
        String topic = kafka.newTopic(2, Map.of("retention.ms", "86400000"));
        String group = group();
        produce(topic, null, "m");
        next(ConsNAckRq.newBuilder().setTopic(topic).setGroup(group).setAutoAck(true).build());

        // When
        GetTopicMetadataRs metadata = pixy().getTopicMetadata(GetTopicMetadataRq.newBuilder().setTopic(topic).setWithPartitions(true).build());
        ListConsumersRs consumers = pixy().listConsumers(ListConsumersRq.newBuilder().setTopic(topic).setGroup(group).build());

        // Then
        assertThat(metadata.getVersion()).isEqualTo(1);
        assertThat(metadata.getConfigMap()).containsEntry("retention.ms", "86400000");
        assertThat(metadata.getPartitionsList()).hasSize(2);
        assertThat(pixy().listTopics(ListTopicRq.newBuilder().setWithPartitions(true).build()).getTopicsMap().get(topic)
                .getPartitionsCount()).isEqualTo(2);
        assertThat(consumers.getGroupsMap().get(group).getConsumersMap().values().iterator().next().getPartitionsList())
                .containsExactly(0, 1);
    }

    @Test
    void everyStatusCode() {
        String topic = kafka.newTopic(1);
        String compacted = kafka.newTopic(1, Map.of("cleanup.policy", "compact"));
        StatusRuntimeException unknownCluster = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> pixy().produce(ProdRq.newBuilder().setCluster("nope").setTopic(topic).setMessage(text("m")).build()));
        assertThat(unknownCluster.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(unknownCluster.getStatus().getDescription()).isEqualTo("proxy `nope` does not exist");
        assertThat(code(() -> pixy().consumeNAck(ConsNAckRq.newBuilder().setTopic(topic).setGroup("g").setAckPartition(-1).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> pixy().consumeNAck(ConsNAckRq.newBuilder().setTopic(topic).setGroup("").setNoAck(true).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> pixy().getOffsets(GetOffsetsRq.newBuilder().setTopic("no-such-topic").setGroup("g").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> pixy().getTopicMetadata(GetTopicMetadataRq.newBuilder().setTopic("no-such-topic").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> pixy().listConsumers(ListConsumersRq.newBuilder().setTopic(topic).setGroup("nobody").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> pixy().ack(AckRq.newBuilder().setTopic(topic).setGroup(group()).setPartition(0).setOffset(0).build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(() -> pixy().consumeNAck(ConsNAckRq.newBuilder().setCluster("off").setTopic(topic).setGroup("g").setNoAck(true).build())))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(code(() -> pixy().produce(ProdRq.newBuilder().setTopic(compacted).setKeyUndefined(true).setMessage(text("no key")).build())))
                .isEqualTo(Status.Code.INTERNAL);
        assertThat(code(() -> pixy().produce(ProdRq.newBuilder().setTopic("a b").setMessage(text("m")).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException twice = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> pixy().setOffsets(SetOffsetsRq.newBuilder().setTopic(topic).setGroup(group())
                        .addOffsets(PartitionOffset.newBuilder().setPartition(0).setOffset(0))
                        .addOffsets(PartitionOffset.newBuilder().setPartition(0).setOffset(0)).build()));
        assertThat(twice.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(twice.getStatus().getDescription()).contains("partition 0 is named more than once");
    }

    @Test
    void aFullConsumeQueueIsResourceExhausted() {
        String topic = kafka.newTopic(1);
        String group = group();
        KafkaPixyGrpc.KafkaPixyFutureStub async = KafkaPixyGrpc.newFutureStub(channel);
        ConsNAckRq rq = ConsNAckRq.newBuilder().setCluster("queue1").setTopic(topic).setGroup(group).setAutoAck(true).build();
        assertThat(code(() -> pixy().consumeNAck(rq))).as("joins, then times out").isEqualTo(Status.Code.NOT_FOUND);
        List<CompletableFuture<Status.Code>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var future = async.consumeNAck(rq);
            calls.add(CompletableFuture.supplyAsync(() -> code(() -> {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw (StatusRuntimeException) e.getCause();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            })));
        }
        assertThat(calls.stream().map(CompletableFuture::join).toList())
                .containsExactlyInAnyOrder(Status.Code.NOT_FOUND, Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void requestsAboveTheSizeLimitAreRefused() {
        String topic = kafka.newTopic(1);
        ByteString big = ByteString.copyFrom(new byte[1024 * 1024 + 1]);
        assertThatThrownBy(() -> pixy().produce(ProdRq.newBuilder().setTopic(topic).setMessage(big).build()))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(produce(topic, "k", "small").getOffset()).isZero();
    }

    @Test
    void serverReflectionListsTheService() throws Exception {
        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        services.complete(response.getListServicesResponse().getServiceList().stream()
                                .map(s -> s.getName()).toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        assertThat(services.get(30, TimeUnit.SECONDS)).contains("KafkaPixy");
        requests.onCompleted();
    }
}
