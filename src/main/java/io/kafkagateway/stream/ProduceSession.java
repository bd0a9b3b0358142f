package io.kafkagateway.stream;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.vertx.core.Future;

import java.util.ArrayDeque;

/**
 * One client's stream of messages to produce, whatever carries it. Every message is produced synchronously, up to
 * {@link #WINDOW} at once; outcomes go out in the order the messages came, each with its own result or error, so one
 * slow or failing message holds up neither the others' production nor the stream. The carrier stops reading while the
 * window or its outgoing queue is full. Confined to one event loop.
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

    private final ClusterClient clusters;
    private final Sink<T> sink;
    private final ArrayDeque<Future<Outcome<T>>> outcomes = new ArrayDeque<>();
    private boolean inputEnded;
    private boolean paused;
    private boolean closed;

    public ProduceSession(ClusterClient clusters, Sink<T> sink) {
        this.clusters = clusters;
        this.sink = sink;
    }

    /** Produces {@code message} to {@code cluster} (empty: the default one); a bad cluster is that message's error. */
    public void produce(String cluster, ProduceRequest message, T tag) {
        Future<Outcome<T>> outcome;
        try {
            outcome = clusters.produce(clusters.resolve(cluster), message)
                    .map(done -> new Outcome<>(tag, done, null))
                    .recover(failure -> Future.succeededFuture(new Outcome<>(tag, null, GatewayException.from(failure))));
        } catch (GatewayException e) {
            outcome = Future.succeededFuture(new Outcome<>(tag, null, e));
        }
        outcomes.addLast(outcome);
        outcome.onComplete(done -> flush());
        if (outcomes.size() >= WINDOW && !paused) {
            paused = true;
            sink.reading(false);
        }
    }

    /** The client sent its last message; {@link Sink#finished()} follows the last outcome. */
    public void endInput() {
        inputEnded = true;
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
        closed = true;
        outcomes.clear();
    }
}
