package io.kafkagateway.stream;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceBatch;
import io.kafkagateway.core.ProduceRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One client's stream of messages to produce, whatever carries it. Every message is produced synchronously, up to
 * {@link #WINDOW} at once; outcomes go out in the order the messages came, each with its own result or error, so one
 * slow or failing message holds up neither the others' production nor the stream. The carrier stops reading while the
 * window or its outgoing queue is full.
 *
 * <p>Messages that arrive in the same turn of the event loop (one network read usually carries many) go to their
 * cluster as one {@link ProduceBatch} of up to {@link ProduceBatch#MAX_MESSAGES}, so the event-bus hop and the
 * hand-off to the producer are paid per batch, not per message. Confined to the event loop it was created on.
 *
 * @param <T> what the carrier needs to match an outcome to its message (a sequence number, a client's id)
 */
public final class ProduceSession<T> {

    public static final int WINDOW = 1024;

    /** One message's outcome: where it landed, or why it was not produced. */
    public record Outcome<T>(T tag, io.kafkagateway.core.ProduceResult result, GatewayException error) {
    }

    /** What the carrier does with the session's output. */
    public interface Sink<T> {
        boolean full();

        void outcome(Outcome<T> outcome);

        /** Stop ({@code false}) or restart ({@code true}) reading messages from the client. */
        void reading(boolean on);

        /** Every message of an ended input has its outcome written. */
        void finished();
    }

    private final ClusterClient clusters;
    private final Sink<T> sink;
    private final Context context;
    private final ArrayDeque<Future<Outcome<T>>> outcomes = new ArrayDeque<>();
    /** Messages of this turn not yet sent, all for {@link #batchCluster}, and their outcomes to come. */
    private final List<ProduceRequest> batch = new ArrayList<>();
    private final List<Promise<Outcome<T>>> batchOutcomes = new ArrayList<>();
    private final List<T> batchTags = new ArrayList<>();
    private String batchCluster;
    private boolean inputEnded;
    private boolean paused;
    private boolean closed;

    public ProduceSession(ClusterClient clusters, Sink<T> sink) {
        this.clusters = clusters;
        this.sink = sink;
        this.context = Objects.requireNonNull(Vertx.currentContext(), "a produce session is created on an event loop");
    }

    /** Produces {@code message} to {@code cluster} (empty: the default one); a bad cluster is that message's error. */
    public void produce(String cluster, ProduceRequest message, T tag) {
        String resolved;
        try {
            resolved = clusters.resolve(cluster);
        } catch (GatewayException e) {
            add(Future.succeededFuture(new Outcome<>(tag, null, e)));
            return;
        }
        if (!batch.isEmpty() && (!batchCluster.equals(resolved) || batch.size() == ProduceBatch.MAX_MESSAGES)) {
            sendBatch();
        }
        if (batch.isEmpty()) {
            batchCluster = resolved;
            context.runOnContext(v -> sendBatch());
        }
        Promise<Outcome<T>> outcome = Promise.promise();
        batch.add(message);
        batchTags.add(tag);
        batchOutcomes.add(outcome);
        add(outcome.future());
    }

    private void add(Future<Outcome<T>> outcome) {
        outcomes.addLast(outcome);
        if (outcome.isComplete()) {
            flush();
        }
        if (outcomes.size() >= WINDOW && !paused) {
            paused = true;
            sink.reading(false);
        }
    }

    /** Sends the messages gathered so far, if any, as one batch; their outcomes complete together. */
    private void sendBatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<Promise<Outcome<T>>> promises = List.copyOf(batchOutcomes);
        List<T> tags = new ArrayList<>(batchTags);
        ProduceBatch request = new ProduceBatch(batch);
        batch.clear();
        batchTags.clear();
        batchOutcomes.clear();
        clusters.produceBatch(batchCluster, request).onComplete(done -> {
            for (int i = 0; i < promises.size(); i++) {
                promises.get(i).complete(done.succeeded()
                        ? outcome(tags.get(i), done.result().outcomes().get(i))
                        : new Outcome<>(tags.get(i), null, GatewayException.from(done.cause())));
            }
            flush();
        });
    }

    private static <T> Outcome<T> outcome(T tag, ProduceBatch.Outcome outcome) {
        return new Outcome<>(tag, outcome.result(), outcome.error());
    }

    /** The client sent its last message; {@link Sink#finished()} follows the last outcome. */
    public void endInput() {
        inputEnded = true;
        sendBatch();
        flush();
    }

    /** Writes the outcomes that are ready, in order; restarts reading when there is room. */
    public void flush() {
        if (closed) {
            return;
        }
        while (!outcomes.isEmpty() && outcomes.peekFirst().isComplete() && !sink.full()) {
            sink.outcome(outcomes.pollFirst().result());
        }
        if (paused && outcomes.size() < WINDOW / 2 && !sink.full()) {
            paused = false;
            sink.reading(true);
        }
        if (inputEnded && outcomes.isEmpty()) {
            closed = true;
            sink.finished();
        }
    }

    /** The connection broke: outcomes still to come are dropped (their messages are produced all the same). */
    public void close() {
        sendBatch();
        closed = true;
        outcomes.clear();
    }
}
