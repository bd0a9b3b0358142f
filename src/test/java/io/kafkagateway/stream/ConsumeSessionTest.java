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
    private final ConcurrentLinkedQueue<AckRequest> offeredAgain = new ConcurrentLinkedQueue<>();
    private final AtomicLong next = new AtomicLong();

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
            msg.reply(new ConsumedBatch(batch));
        });
        vertx.eventBus().<AckRequest>localConsumer(Addresses.offerAgain("c"), msg -> {
            offeredAgain.add(msg.body());
            msg.reply("ok");
        });
        return new ClusterClient(vertx.eventBus(), ConfigLoader.parse("proxies: {c: {}}", ConfigOverrides.NONE).config());
    }

    /** Counts what reaches the client. */
    static final class Counting implements ConsumeSession.Sink {
        final AtomicLong received = new AtomicLong();

        @Override
        public boolean full() {
            return false;
        }

        @Override
        public void messages(List<ConsumedMessage> messages) {
            received.addAndGet(messages.size());
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
        assertThat(offeredAgain.stream().mapToLong(AckRequest::offset).min().orElseThrow()).isEqualTo(700);
        assertThat(offeredAgain.stream().mapToLong(AckRequest::offset).max().orElseThrow()).isEqualTo(handedOut - 1);
    }
}
