package io.kafkagateway.stream;

import io.kafkagateway.bus.Addresses;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.bus.Codecs;
import io.kafkagateway.config.ConfigLoader;
import io.kafkagateway.config.ConfigOverrides;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceBatch;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The produce window and batching, with a fake cluster on the event bus that answers when told: reading stops at
 * {@link ProduceSession#WINDOW} outstanding messages and restarts below half; outcomes leave in the order sent.
 */
class ProduceSessionTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What the session told its carrier. */
    static final class Recorder implements ProduceSession.Sink<Integer> {
        final List<Integer> tags = new ArrayList<>();
        final List<Boolean> reading = new ArrayList<>();
        final List<ErrorCode> errors = new ArrayList<>();

        @Override
        public boolean full() {
            return false;
        }

        @Override
        public void outcome(ProduceSession.Outcome<Integer> outcome) {
            tags.add(outcome.tag());
            errors.add(outcome.error() == null ? null : outcome.error().code());
        }

        @Override
        public void reading(boolean on) {
            reading.add(on);
        }

        @Override
        public void finished() {
            reading.add(null);
        }
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                result.complete(action.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void readingStopsAtTheWindowAndRestartsBelowHalfWithOutcomesInOrder() throws Exception {
        // Given: a cluster that holds every produce until told to answer
        Codecs.register(vertx.eventBus());
        List<Message<ProduceBatch>> held = new ArrayList<>();
        vertx.eventBus().<ProduceBatch>localConsumer(Addresses.produceBatch("c"), held::add);
        ClusterClient clusters = new ClusterClient(vertx.eventBus(), ConfigLoader.parse("proxies: {c: {}}", ConfigOverrides.NONE).config());
        Recorder sink = new Recorder();
        ProduceSession<Integer> session = onLoop(() -> new ProduceSession<>(clusters, sink));

        // When: one message more than the window, all in one turn of the event loop
        onLoop(() -> {
            for (int i = 0; i <= ProduceSession.WINDOW; i++) {
                session.produce("c", new ProduceRequest("t", null, new byte[] {1}, List.of(), true), i);
            }
            return null;
        });
        org.awaitility.Awaitility.await().until(() -> onLoop(() -> held.stream().mapToInt(m -> m.body().messages().size()).sum())
                == ProduceSession.WINDOW + 1);

        // Then: they went out in full batches, and reading stopped once, at the window
        assertThat(onLoop(() -> held.stream().map(m -> m.body().messages().size()).toList()))
                .containsExactly(256, 256, 256, 256, 1);
        assertThat(onLoop(() -> new ArrayList<>(sink.reading))).containsExactly(false);

        // When: the batches are answered in reverse order; the last batch fails as a whole, message 1000 on its own
        onLoop(() -> {
            held.get(held.size() - 1).fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.busCode(), "Unknown topic: t");
            for (int b = held.size() - 2; b >= 0; b--) {
                List<ProduceBatch.Outcome> outcomes = new ArrayList<>();
                for (int j = 0; j < held.get(b).body().messages().size(); j++) {
                    int i = b * ProduceBatch.MAX_MESSAGES + j;
                    outcomes.add(i == 1000
                            ? ProduceBatch.Outcome.failed(new GatewayException(ErrorCode.RECORD_TOO_LARGE, "too large"))
                            : ProduceBatch.Outcome.of(new ProduceResult(0, i)));
                }
                held.get(b).reply(new ProduceBatch.Result(outcomes));
            }
            return null;
        });
        org.awaitility.Awaitility.await().until(() -> onLoop(sink.tags::size) == ProduceSession.WINDOW + 1);
        onLoop(() -> {
            session.endInput();
            return null;
        });

        // Then: outcomes in the order sent, each with its own result, reading restarted, then finished
        List<Integer> tags = onLoop(() -> List.copyOf(sink.tags));
        for (int i = 0; i < tags.size(); i++) {
            assertThat(tags.get(i)).isEqualTo(i);
        }
        assertThat(onLoop(() -> sink.errors.get(ProduceSession.WINDOW))).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(onLoop(() -> sink.errors.get(1000))).isEqualTo(ErrorCode.RECORD_TOO_LARGE);
        assertThat(onLoop(() -> sink.errors.stream().filter(java.util.Objects::nonNull).count())).isEqualTo(2);
        assertThat(onLoop(() -> new ArrayList<>(sink.reading))).containsExactly(false, true, null);
    }
}
