package io.kafkagateway.stream;

import io.kafkagateway.bus.Addresses;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.bus.Codecs;
import io.kafkagateway.config.ConfigLoader;
import io.kafkagateway.config.ConfigOverrides;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.Receipt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Credits and remembered acknowledgements, with a fake cluster on the event bus that always has messages: the polls
 * never ask for more than the credits left, and a closing session offers again what it remembers (the newest
 * {@link ConsumeSession#MAX_REMEMBERED}).
 */
class ConsumeSessionTest {

    private final Vertx vertx = Vertx.vertx();
    private final ConcurrentLinkedQueue<Integer> asked = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ConsumedMessage> offeredAgain = new ConcurrentLinkedQueue<>();
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ClusterClient fakeCluster() {
        Codecs.register(vertx.eventBus());
        vertx.eventBus().<ConsumeRequest>localConsumer(Addresses.consume("c"), msg -> {
            asked.add(msg.body().maxMessages());
            List<ConsumedMessage> batch = new ArrayList<>();
            for (int i = 0; i < msg.body().maxMessages(); i++) {
                batch.add(new ConsumedMessage("t", 0, next.getAndIncrement(), 0, null, new byte[0], List.of()));
            }
            msg.reply(new ConsumedBatch(batch, new Receipt() {
                @Override
                public void delivered() {
                    delivered.addAndGet(batch.size());
                }

                @Override
                public void undelivered() {
                    undelivered.addAndGet(batch.size());
                }

                @Override
                public void returned(List<ConsumedMessage> messages) {
                    offeredAgain.addAll(messages);
                }
            }));
        });
        return new ClusterClient(vertx.eventBus(), ConfigLoader.parse("proxies: {c: {}}", ConfigOverrides.NONE).config());
    }

    /** Counts what reaches the client; {@code failWrites} makes every write fail (the connection went away). */
    static final class Counting implements ConsumeSession.Sink {
        final AtomicLong received = new AtomicLong();
        volatile boolean failWrites;

        @Override
        public boolean full() {
            return false;
        }

        @Override
        public Future<Void> messages(List<ConsumedMessage> messages) {
            received.addAndGet(messages.size());
            return failWrites ? Future.failedFuture("test: connection gone") : Future.succeededFuture();
        }

        @Override
        public void ackFailed(AckRequest ack, GatewayException error) {
        }

        @Override
        public void failed(GatewayException error) {
        }
    }

    private ConsumeSession start(ClusterClient clusters, long credits, Counting sink) throws Exception {
        CompletableFuture<ConsumeSession> started = new CompletableFuture<>();
        vertx.runOnContext(v -> started.complete(ConsumeSession.start(vertx, clusters,
                new Subscription("c", "g", List.of("t"), null, credits, false, true), Subscription.MAX_CREDITS, sink)));
        return started.get(10, TimeUnit.SECONDS);
    }

    @Test
    void pollsNeverAskForMoreThanTheCreditsLeft() throws Exception {
        // Given / When: 1,234 credits against a cluster that always has messages
        Counting sink = new Counting();
        start(fakeCluster(), 1234, sink);

        // Then: exactly 1,234 arrive, in polls of at most 500, and no poll asks for more
        await().until(() -> sink.received.get() == 1234);
        await().during(java.time.Duration.ofMillis(300)).atMost(java.time.Duration.ofSeconds(2))
                .until(() -> sink.received.get() == 1234);
        assertThat(asked.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1234);
        assertThat(asked).allSatisfy(n -> assertThat(n).isBetween(1, ConsumeRequest.MAX_BATCH));
    }

    @Test
    void aClosingSessionOffersAgainTheNewestItRemembers() throws Exception {
        // Given: more unacknowledged messages than a session remembers
        Counting sink = new Counting();
        int handedOut = ConsumeSession.MAX_REMEMBERED + 700;
        ConsumeSession session = start(fakeCluster(), handedOut, sink);
        await().until(() -> sink.received.get() == handedOut);

        // When
        vertx.runOnContext(v -> session.close());

        // Then: the newest MAX_REMEMBERED are offered again at once; the oldest wait for their ack timeout
        await().until(() -> offeredAgain.size() == ConsumeSession.MAX_REMEMBERED);
        assertThat(offeredAgain.stream().mapToLong(ConsumedMessage::offset).min().orElseThrow()).isEqualTo(700);
        assertThat(offeredAgain.stream().mapToLong(ConsumedMessage::offset).max().orElseThrow()).isEqualTo(handedOut - 1);
    }

    @Test
    void everyBatchIsReportedToTheEngineAsWrittenOrNot() throws Exception {
        // Given: a session whose first 100 messages are written, then a connection whose writes fail
        Counting sink = new Counting();
        ConsumeSession session = start(fakeCluster(), 100, sink);
        await().until(() -> delivered.get() == 100);

        // When
        sink.failWrites = true;
        vertx.runOnContext(v -> session.grant(30));

        // Then: what could not be written is reported undelivered (the engine offers it again at once)
        await().until(() -> undelivered.get() == 30);
        assertThat(delivered.get()).isEqualTo(100);
    }

    @Test
    void grantsThatWouldOverflowLeaveTheSessionAtItsMaximum() throws Exception {
        // Given: a session with no credits and a maximum of 10
        Counting sink = new Counting();
        CompletableFuture<ConsumeSession> started = new CompletableFuture<>();
        ClusterClient clusters = fakeCluster();
        vertx.runOnContext(v -> started.complete(ConsumeSession.start(vertx, clusters,
                new Subscription("c", "g", List.of("t"), null, 0, true, true), 10, sink)));
        ConsumeSession session = started.get(10, TimeUnit.SECONDS);

        // When: two grants of Long.MAX_VALUE
        vertx.runOnContext(v -> {
            session.grant(Long.MAX_VALUE);
            session.grant(Long.MAX_VALUE);
        });

        // Then: ten messages, and no more until the next grant
        await().until(() -> sink.received.get() == 10);
        await().during(java.time.Duration.ofMillis(300)).atMost(java.time.Duration.ofSeconds(2)).until(() -> sink.received.get() == 10);
        vertx.runOnContext(v -> session.grant(5));
        await().until(() -> sink.received.get() == 15);
    }
}
