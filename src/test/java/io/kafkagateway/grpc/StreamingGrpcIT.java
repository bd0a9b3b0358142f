package io.kafkagateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.kafkagateway.grpc.v1.Ack;
import io.kafkagateway.grpc.v1.ConsumeRequest;
import io.kafkagateway.grpc.v1.ConsumeResponse;
import io.kafkagateway.grpc.v1.Credits;
import io.kafkagateway.grpc.v1.InitialOffset;
import io.kafkagateway.grpc.v1.KafkaGatewayGrpc;
import io.kafkagateway.grpc.v1.Message;
import io.kafkagateway.grpc.v1.ProduceBatch;
import io.kafkagateway.grpc.v1.ProduceRequest;
import io.kafkagateway.grpc.v1.ProduceResult;
import io.kafkagateway.grpc.v1.ProduceResults;
import io.kafkagateway.grpc.v1.Subscribe;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.RawHttp2;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.common.BrokerConfig;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The streaming API (kafkagateway.v1) with the grpc-java client, against a real broker. */
@ExtendWith(KafkaClusterExtension.class)
class StreamingGrpcIT {

    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster cluster;
    static GatewayTester gateway;
    static KafkaProbe kafka;
    static ManagedChannel channel;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        gateway = GatewayTester.start("grpc_max_credits: 30\nproxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers()
                + "]}\n    consumer: {long_polling_timeout: 500ms, offsets_commit_interval: 100ms}\n", true);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        gateway.close();
        kafka.close();
    }

    /** A client's view of one stream: what arrived, and how it ended. */
    static final class Received<T> implements StreamObserver<T> {
        final LinkedBlockingQueue<T> items = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();

        @Override
        public void onNext(T item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            end.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            end.complete(Status.OK);
        }

        T take() throws InterruptedException {
            T item = items.poll(30, TimeUnit.SECONDS);
            assertThat(item).as("a response within 30 s").isNotNull();
            return item;
        }
    }

    private static ProduceRequest message(String topic, String key, String value) {
        return ProduceRequest.newBuilder().setTopic(topic).setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build();
    }

    @Test
    void aHundredThousandMessagesProducedOnOneStreamInOrder() throws Exception {
        // Given
        String topic = kafka.newTopic(4);
        Received<ProduceResult> results = new Received<>();
        StreamObserver<ProduceRequest> requests = KafkaGatewayGrpc.newStub(channel).produce(results);

        // When
        long started = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            requests.onNext(message(topic, "k" + (i % 100), "m" + i));
        }
        requests.onCompleted();
        assertThat(results.end.get(120, TimeUnit.SECONDS)).isEqualTo(Status.OK);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // Then
        List<ProduceResult> all = new ArrayList<>(results.items);
        assertThat(all).hasSize(100_000);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).getSequence()).isEqualTo(i);
            assertThat(all.get(i).hasError()).as("result %d: %s", i, all.get(i)).isFalse();
        }
        assertThat(kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100_000);
        System.out.println("100000 messages on one produce stream took " + took.toMillis() + " ms");
    }

    @Test
    void aFailingMessageGetsItsOwnErrorAndTheStreamGoesOn() throws Exception {
        String topic = kafka.newTopic(1);
        Received<ProduceResult> results = new Received<>();
        StreamObserver<ProduceRequest> requests = KafkaGatewayGrpc.newStub(channel).produce(results);
        requests.onNext(message(topic, "k", "first"));
        requests.onNext(message("missing-topic", "k", "nowhere to go"));
        requests.onNext(message("bad topic!", "k", "bad name"));
        requests.onNext(ProduceRequest.newBuilder().setCluster("nope").setTopic(topic).build());
        requests.onNext(message(topic, "k", "last"));
        requests.onCompleted();
        assertThat(results.end.get(60, TimeUnit.SECONDS)).isEqualTo(Status.OK);

        List<ProduceResult> all = new ArrayList<>(results.items);
        assertThat(all).extracting(ProduceResult::getSequence).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(all.get(0).getOffset()).isZero();
        assertThat(all.get(1).getError().getCode()).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(all.get(2).getError().getCode()).isEqualTo("INVALID_REQUEST");
        assertThat(all.get(3).getError().getMessage()).isEqualTo("proxy `nope` does not exist");
        assertThat(all.get(4).getOffset()).isEqualTo(1);
    }

    @Test
    void batchesAreAnsweredOnePerRequestWithAResultPerMessageInOrder() throws Exception {
        // Given: 50 batches of 200 messages on one stream, the 11th batch with a message for a missing topic
        String topic = kafka.newTopic(3);
        Received<ProduceResults> results = new Received<>();
        StreamObserver<ProduceBatch> requests = KafkaGatewayGrpc.newStub(channel).produceBatches(results);

        // When
        for (int b = 0; b < 50; b++) {
            ProduceBatch.Builder batch = ProduceBatch.newBuilder();
            for (int i = 0; i < 200; i++) {
                int n = b * 200 + i;
                batch.addMessages(n == 2_050 ? message("missing-topic", "k", "lost") : message(topic, "k" + (n % 7), "m" + n));
            }
            requests.onNext(batch.build());
        }
        requests.onCompleted();
        assertThat(results.end.get(60, TimeUnit.SECONDS)).isEqualTo(Status.OK);

        // Then: one answer per batch, each message's result in its place, only the bad one failed
        List<ProduceResults> answers = new ArrayList<>(results.items);
        assertThat(answers).hasSize(50).allSatisfy(a -> assertThat(a.getResultsCount()).isEqualTo(200));
        List<ProduceResult> all = answers.stream().flatMap(a -> a.getResultsList().stream()).toList();
        for (int n = 0; n < all.size(); n++) {
            assertThat(all.get(n).getSequence()).isEqualTo(n);
            assertThat(all.get(n).hasError()).as("result %d: %s", n, all.get(n)).isEqualTo(n == 2_050);
        }
        assertThat(all.get(2_050).getError().getCode()).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(9_999);
        // Messages with the same key keep their order within the partition
        List<String> sameKey = kafka.records(topic, 9_999).stream().filter(r -> new String(r.key()).equals("k3"))
                .map(r -> new String(r.value())).toList();
        assertThat(sameKey).isSortedAccordingTo(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.substring(1))));
    }

    @Test
    void aBatchOverTheLimitEndsTheStreamWithInvalidArgument() throws Exception {
        String topic = kafka.newTopic(1);
        Received<ProduceResults> results = new Received<>();
        StreamObserver<ProduceBatch> requests = KafkaGatewayGrpc.newStub(channel).produceBatches(results);
        ProduceBatch.Builder tooMany = ProduceBatch.newBuilder();
        for (int i = 0; i <= 1024; i++) {
            tooMany.addMessages(message(topic, "k", "m" + i));
        }
        requests.onNext(tooMany.build());

        Status status = results.end.get(30, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).isEqualTo("a ProduceBatch carries 1 to 1024 messages, this one has 1025; split it");
        assertThat(kafka.endOffsets(topic).get(0)).isZero();
    }

    private static ConsumeRequest subscribe(String group, String topic, int credits) {
        return ConsumeRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setGroup(group).addTopics(topic)
                .setInitialOffset(InitialOffset.INITIAL_OFFSET_EARLIEST).setCredits(credits)).build();
    }

    private static ConsumeRequest ack(Message m) {
        return ConsumeRequest.newBuilder().setAck(Ack.newBuilder().setTopic(m.getTopic()).setPartition(m.getPartition()).setOffset(m.getOffset())).build();
    }

    private static void produce(String topic, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "m" + i).status()).isEqualTo(200);
        }
    }

    @Test
    void aStreamHoldsAtMostGrpcMaxCredits() throws Exception {
        // Given: 40 messages, and a subscription asking for 1,000 credits on a gateway allowing 30
        String topic = kafka.newTopic(1);
        produce(topic, 40);
        Received<ConsumeResponse> received = new Received<>();
        StreamObserver<ConsumeRequest> requests = KafkaGatewayGrpc.newStub(channel).consume(received);
        requests.onNext(ConsumeRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setGroup("g-" + UUID.randomUUID())
                .addTopics(topic).setInitialOffset(InitialOffset.INITIAL_OFFSET_EARLIEST).setCredits(1000).setAutoAck(true)).build());

        // Then: 30 messages, then nothing until the client grants more
        for (int i = 0; i < 30; i++) {
            assertThat(received.take().hasMessage()).isTrue();
        }
        assertThat(received.items.poll(1500, TimeUnit.MILLISECONDS)).as("grpc_max_credits is 30").isNull();
        requests.onNext(ConsumeRequest.newBuilder().setCredits(Credits.newBuilder().setCount(10)).build());
        for (int i = 0; i < 10; i++) {
            assertThat(received.take().hasMessage()).isTrue();
        }
        requests.onCompleted();
    }

    @Test
    void messagesFlowOnlyWhileTheClientHasCreditsAndAcksCommit() throws Exception {
        // Given
        String topic = kafka.newTopic(1);
        produce(topic, 20);
        String group = "g-" + UUID.randomUUID();
        Received<ConsumeResponse> received = new Received<>();
        StreamObserver<ConsumeRequest> requests = KafkaGatewayGrpc.newStub(channel).consume(received);

        // When: five credits
        requests.onNext(subscribe(group, topic, 5));
        List<Message> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(received.take().getMessage());
        }

        // Then: nothing more until more credits come
        assertThat(received.items.poll(1500, TimeUnit.MILLISECONDS)).isNull();
        requests.onNext(ConsumeRequest.newBuilder().setCredits(Credits.newBuilder().setCount(15)).build());
        List<Message> rest = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            rest.add(received.take().getMessage());
        }
        assertThat(first).extracting(Message::getOffset).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(rest).extracting(Message::getOffset).startsWith(5L).endsWith(19L);

        // And acknowledgements move the committed offset
        first.forEach(m -> requests.onNext(ack(m)));
        rest.forEach(m -> requests.onNext(ack(m)));
        await().untilAsserted(() -> assertThat(gateway.get("/topics/" + topic + "/offsets?group=" + group).json().get(0)
                .get("offset").asLong()).isEqualTo(20));
        requests.onCompleted();
        assertThat(received.end.get(30, TimeUnit.SECONDS)).isEqualTo(Status.OK);
    }

    @Test
    void autoAcknowledgedMessagesCommitWithoutAcks() throws Exception {
        // Given
        String topic = kafka.newTopic(1);
        produce(topic, 3);
        String group = "g-" + UUID.randomUUID();
        Received<ConsumeResponse> received = new Received<>();
        StreamObserver<ConsumeRequest> requests = KafkaGatewayGrpc.newStub(channel).consume(received);

        // When
        requests.onNext(ConsumeRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setGroup(group).addTopics(topic)
                .setInitialOffset(InitialOffset.INITIAL_OFFSET_EARLIEST).setCredits(3).setAutoAck(true)).build());
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            offsets.add(received.take().getMessage().getOffset());
        }

        // Then
        assertThat(offsets).containsExactly(0L, 1L, 2L);
        await().untilAsserted(() -> assertThat(gateway.get("/topics/" + topic + "/offsets?group=" + group).json().get(0)
                .get("offset").asLong()).isEqualTo(3));
        requests.onCompleted();
        assertThat(received.end.get(30, TimeUnit.SECONDS)).isEqualTo(Status.OK);
    }

    @Test
    void aBatchingStreamGetsMessagesReadyTogetherInOneResponse() throws Exception {
        String topic = kafka.newTopic(1);
        produce(topic, 6);
        Received<ConsumeResponse> received = new Received<>();
        StreamObserver<ConsumeRequest> requests = KafkaGatewayGrpc.newStub(channel).consume(received);
        requests.onNext(ConsumeRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setGroup("g-" + UUID.randomUUID())
                .addTopics(topic).setInitialOffset(InitialOffset.INITIAL_OFFSET_EARLIEST).setCredits(6).setAutoAck(true)
                .setBatch(true)).build());
        List<Long> offsets = new ArrayList<>();
        int responses = 0;
        while (offsets.size() < 6) {
            ConsumeResponse response = received.take();
            assertThat(response.hasBatch()).as("batches, not single messages: %s", response).isTrue();
            response.getBatch().getMessagesList().forEach(m -> offsets.add(m.getOffset()));
            responses++;
        }
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(responses).isLessThan(6);
        requests.onCompleted();
        assertThat(received.end.get(30, TimeUnit.SECONDS)).isEqualTo(Status.OK);
    }

    @Test
    void messagesABrokenStreamDidNotAcknowledgeGoToTheNextStreamAtOnce() throws Exception {
        // Given: a stream took three messages and acknowledged one, then broke (ack_timeout is 5 minutes)
        String topic = kafka.newTopic(1);
        produce(topic, 3);
        String group = "g-" + UUID.randomUUID();
        Received<ConsumeResponse> first = new Received<>();
        CompletableFuture<ClientCallStreamObserver<ConsumeRequest>> call = new CompletableFuture<>();
        KafkaGatewayGrpc.newStub(channel).consume(new ClientResponseObserver<ConsumeRequest, ConsumeResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ConsumeRequest> requestStream) {
                call.complete(requestStream);
            }

            @Override
            public void onNext(ConsumeResponse value) {
                first.onNext(value);
            }

            @Override
            public void onError(Throwable t) {
                first.onError(t);
            }

            @Override
            public void onCompleted() {
                first.onCompleted();
            }
        });
        ClientCallStreamObserver<ConsumeRequest> requests = call.get(10, TimeUnit.SECONDS);
        requests.onNext(subscribe(group, topic, 3));
        Message m0 = first.take().getMessage();
        first.take();
        first.take();
        requests.onNext(ack(m0));
        await().untilAsserted(() -> assertThat(gateway.get("/topics/" + topic + "/offsets?group=" + group).json().get(0)
                .get("offset").asLong()).isEqualTo(1));

        // When
        requests.cancel("client went away", null);

        // Then: the other two come to the next stream right away
        Received<ConsumeResponse> second = new Received<>();
        StreamObserver<ConsumeRequest> again = KafkaGatewayGrpc.newStub(channel).consume(second);
        long started = System.nanoTime();
        again.onNext(subscribe(group, topic, 10));
        List<Long> offsets = List.of(second.take().getMessage().getOffset(), second.take().getMessage().getOffset());
        assertThat(offsets).containsExactlyInAnyOrder(1L, 2L);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        again.onCompleted();
    }

    @Test
    void misuseEndsTheStreamWithAClearStatus() throws Exception {
        Received<ConsumeResponse> noSubscribe = new Received<>();
        StreamObserver<ConsumeRequest> requests = KafkaGatewayGrpc.newStub(channel).consume(noSubscribe);
        requests.onNext(ConsumeRequest.newBuilder().setCredits(Credits.newBuilder().setCount(1)).build());
        Status status = noSubscribe.end.get(30, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("must be a subscribe");

        Received<ConsumeResponse> missing = new Received<>();
        KafkaGatewayGrpc.newStub(channel).consume(missing).onNext(subscribe("g", "no-such-topic", 1));
        assertThat(missing.end.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.NOT_FOUND);

        Received<ConsumeResponse> unknownCluster = new Received<>();
        KafkaGatewayGrpc.newStub(channel).consume(unknownCluster).onNext(ConsumeRequest.newBuilder()
                .setSubscribe(Subscribe.newBuilder().setCluster("nope").setGroup("g").addTopics("t").setCredits(1)).build());
        Status unknown = unknownCluster.end.get(30, TimeUnit.SECONDS);
        assertThat(unknown.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(unknown.getDescription()).isEqualTo("proxy `nope` does not exist");
    }

    @Test
    void aClientThatEndsAndCancelsAStreamInOneWriteKeepsItsConnection() throws Exception {
        // Given: a consume stream that has delivered a message, on a bare HTTP/2 connection
        String topic = kafka.newTopic(1);
        gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "m");
        String path = "/kafkagateway.v1.KafkaGateway/Consume";
        int port = gateway.grpcPort();
        try (RawHttp2 http2 = new RawHttp2(port)) {
            http2.write(RawHttp2.grpcCall(1, port, path, subscribeBytes("g-" + UUID.randomUUID(), topic)));
            assertThat(http2.await(f -> f.type() == RawHttp2.DATA && f.stream() == 1, 30)).as("a message on stream 1").isNotNull();

            // When: the client ends its side and resets the stream in one write, as grpc-js's cancel() does
            http2.write(RawHttp2.concat(RawHttp2.frame(RawHttp2.DATA, RawHttp2.END_STREAM, 1, new byte[0]),
                    RawHttp2.frame(RawHttp2.RST_STREAM, 0, 1, new byte[] {0, 0, 0, 8})));

            // Then: the connection still answers a ping, and a new call on it gets its message
            http2.write(RawHttp2.frame(RawHttp2.PING, 0, 0, "kgw-ping".getBytes()));
            assertThat(http2.await(f -> f.type() == RawHttp2.PING && (f.flags() & 1) == 1, 10)).as("PING ack").isNotNull();
            http2.write(RawHttp2.grpcCall(3, port, path, subscribeBytes("g-" + UUID.randomUUID(), topic)));
            assertThat(http2.await(f -> f.type() == RawHttp2.DATA && f.stream() == 3, 30)).as("a message on stream 3").isNotNull();
        }
    }

    private static byte[] subscribeBytes(String group, String topic) {
        return ConsumeRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setGroup(group).addTopics(topic)
                .setCredits(10).setInitialOffset(InitialOffset.INITIAL_OFFSET_EARLIEST)).build().toByteArray();
    }
}
