package io.kafkagateway.stream;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceBatch;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.vertx.core.Context;
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
    public record Outcome<T>(T tag, ProduceResult result, GatewayException error) {
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

    /**
     * Messages sent together, or one refused before it was sent: their tags in order and, once the cluster answered,
     * their outcomes ({@code failure} when the whole batch failed).
     */
    private static final class Sent<T> {
        final List<T> tags;
        List<ProduceBatch.Outcome> outcomes;
        GatewayException failure;
        /** Outcomes of this batch already written. */
        int written;

        Sent(List<T> tags) {
            this.tags = tags;
        }

        boolean answered() {
            return outcomes != null || failure != null;
        }

        Outcome<T> outcome(int i) {
            if (failure != null) {
                return new Outcome<>(tags.get(i), null, failure);
            }
            ProduceBatch.Outcome outcome = outcomes.get(i);
            return new Outcome<>(tags.get(i), outcome.result(), outcome.error());
        }
    }

    private final ClusterClient clusters;
    private final Sink<T> sink;
    private final Context context;
    /** What was sent or refused, oldest first, until every outcome of it is written. */
    private final ArrayDeque<Sent<T>> sent = new ArrayDeque<>();
    /** Messages whose outcome is not written yet. */
    private int outstanding;
    /** Messages of this turn not yet sent, all for {@link #batchCluster}. */
    private final List<ProduceRequest> batch = new ArrayList<>();
    private List<T> batchTags = new ArrayList<>();
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
            sendBatch();
            Sent<T> refused = new Sent<>(List.of(tag));
            refused.failure = e;
            sent.addLast(refused);
            outstanding++;
            pauseIfFull();
            flush();
            return;
        }
        if (!batch.isEmpty() && (!batchCluster.equals(resolved) || batch.size() == ProduceBatch.MAX_MESSAGES)) {
            sendBatch();
        }
        if (batch.isEmpty()) {
            batchCluster = resolved;
            context.runOnContext(v -> sendBatch());
        }
        batch.add(message);
        batchTags.add(tag);
        outstanding++;
        pauseIfFull();
    }

    private void pauseIfFull() {
        if (outstanding >= WINDOW && !paused) {
            paused = true;
            sink.reading(false);
        }
    }

    /** Sends the messages gathered so far, if any, as one batch; their outcomes come together. */
    private void sendBatch() {
        if (batch.isEmpty()) {
            return;
        }
        Sent<T> entry = new Sent<>(batchTags);
        ProduceBatch request = new ProduceBatch(batch);
        batch.clear();
        batchTags = new ArrayList<>();
        sent.addLast(entry);
        clusters.produceBatch(batchCluster, request).onComplete(done -> {
            if (done.succeeded()) {
                entry.outcomes = done.result().outcomes();
            } else {
                entry.failure = GatewayException.from(done.cause());
            }
            flush();
        });
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
        while (!sent.isEmpty() && sent.peekFirst().answered() && !sink.full()) {
            Sent<T> head = sent.peekFirst();
            while (head.written < head.tags.size() && !sink.full()) {
                sink.outcome(head.outcome(head.written++));
                outstanding--;
            }
            if (head.written == head.tags.size()) {
                sent.pollFirst();
            }
        }
        if (paused && outstanding < WINDOW / 2 && !sink.full()) {
            paused = false;
            sink.reading(true);
        }
        if (inputEnded && sent.isEmpty() && batch.isEmpty()) {
            closed = true;
            sink.finished();
        }
    }

    /** The connection broke: outcomes still to come are dropped (their messages are produced all the same). */
    public void close() {
        sendBatch();
        closed = true;
        sent.clear();
    }
}
