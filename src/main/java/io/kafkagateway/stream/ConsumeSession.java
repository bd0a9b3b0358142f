package io.kafkagateway.stream;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.Abandonment;
import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.Receipt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One streaming consumer, whatever carries it (a gRPC stream, a WebSocket): messages of the subscribed topics flow
 * while the client holds credits and its connection has room, up to {@link #POLLS_PER_TOPIC} long polls per topic at a
 * time (so the next batch is on its way while one is written), through the same consumer engine as REST. The engine
 * answers a topic's polls in the order they were made, so messages keep their order. Unless auto-acknowledged, each
 * message stays pending until the client acknowledges it; when the session closes, what it did not acknowledge is
 * offered again at once. Confined to one event loop.
 */
public final class ConsumeSession {

    /** What the carrier does with the session's output. */
    public interface Sink {
        /** The connection's outgoing queue is full: stop sending until {@link #resume()} is called. */
        boolean full();

        /**
         * Messages one poll took, in order: one frame each, or one frame for all when the subscription batches. The
         * future is the write of the last frame: it fails when the messages did not reach the connection.
         */
        Future<Void> messages(List<ConsumedMessage> messages);

        /** An acknowledgement could not be recorded; the session goes on. */
        void ackFailed(AckRequest ack, GatewayException error);

        /** The session ended with an error (already closed when this is called). */
        void failed(GatewayException error);
    }

    private static final long RETRY_MILLIS = 100;
    static final int POLLS_PER_TOPIC = 2;
    /**
     * Unacknowledged messages remembered for an immediate redelivery when the session closes; beyond it the oldest are
     * forgotten here and come back after the ack timeout instead.
     */
    static final int MAX_REMEMBERED = 10_000;

    /** ACTIVE: messages flow; DRAINING: the gateway stops, acknowledgements still count; CLOSED: done. */
    private enum State { ACTIVE, DRAINING, CLOSED }

    /** A message handed out here and not acknowledged yet. */
    private record Unacked(ConsumedMessage message, Receipt receipt) {
    }

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final Subscription subscription;
    private final String cluster;
    private final Sink sink;
    /** Polls under way, per topic. */
    private final Map<String, Integer> polling = new HashMap<>();
    /** What was handed out here and not yet acknowledged, with the receipt of its batch, oldest first. */
    private final Map<AckRequest, Unacked> unacked = new LinkedHashMap<>();
    private final long maxCredits;
    private State state = State.ACTIVE;
    private long credits;
    /** Messages the polls under way may still bring. */
    private long inFlight;
    /** Set when the session closes, so that polls still parked get no messages. */
    private final Abandonment abandonment = new Abandonment();

    private ConsumeSession(Vertx vertx, ClusterClient clusters, Subscription subscription, long maxCredits, Sink sink) {
        this.vertx = vertx;
        this.clusters = clusters;
        this.subscription = subscription;
        this.cluster = clusters.resolve(subscription.cluster());
        this.sink = sink;
        this.maxCredits = Math.min(maxCredits, Subscription.MAX_CREDITS);
        this.credits = Math.min(this.maxCredits, subscription.credits());
    }

    /**
     * Starts consuming; the client never holds more than {@code maxCredits} credits (larger grants are capped).
     *
     * @throws GatewayException INVALID_REQUEST for an unknown cluster
     */
    public static ConsumeSession start(Vertx vertx, ClusterClient clusters, Subscription subscription, long maxCredits, Sink sink) {
        ConsumeSession session = new ConsumeSession(vertx, clusters, subscription, maxCredits, sink);
        session.resume();
        return session;
    }

    public Subscription subscription() {
        return subscription;
    }

    /** The client allows {@code count} more messages; the credits held never exceed the session's maximum. */
    public void grant(long count) {
        if (count < 0) {
            throw GatewayException.invalid("credits must not be negative, got " + count);
        }
        credits = count >= maxCredits - credits ? maxCredits : credits + count;
        resume();
    }

    /** Acknowledges a message this session (or another consumer of the group here) handed out. */
    public void ack(String topic, int partition, long offset) {
        AckRequest ack = new AckRequest(subscription.group(), topic, partition, offset);
        clusters.ack(cluster, ack).onComplete(done -> {
            if (done.succeeded()) {
                unacked.remove(ack);
            } else if (state != State.CLOSED) {
                sink.ackFailed(ack, GatewayException.from(done.cause()));
            }
        });
    }

    /** Polls again where credits and room allow (after a grant, or when the connection drained). */
    public void resume() {
        for (String topic : subscription.topics()) {
            while (poll(topic)) {
                // as many polls as the topic may have under way
            }
        }
    }

    /**
     * One long poll for {@code topic} when there are credits for it: the polls under way may take up to
     * {@code inFlight} messages, and together never more than the credits the client granted.
     */
    private boolean poll(String topic) {
        long free = credits - inFlight;
        if (state != State.ACTIVE || polling.getOrDefault(topic, 0) >= POLLS_PER_TOPIC || free <= 0 || sink.full()) {
            return false;
        }
        int batch = (int) Math.min(ConsumeRequest.MAX_BATCH, Math.max(1, free / subscription.topics().size()));
        polling.merge(topic, 1, Integer::sum);
        inFlight += batch;
        AckMode mode = subscription.autoAck() ? AckMode.AUTO : AckMode.NONE;
        clusters.consume(cluster, new ConsumeRequest(subscription.group(), topic, mode, -1, -1, subscription.initialOffset(), batch,
                        abandonment))
                .onComplete(done -> {
                    polling.merge(topic, -1, (a, b) -> a + b == 0 ? null : a + b);
                    inFlight -= batch;
                    if (done.succeeded()) {
                        deliver(done.result());
                        resume();
                    } else {
                        retryOrEnd(topic, GatewayException.from(done.cause()));
                    }
                });
        return true;
    }

    /** Writes what a poll took; what cannot be written (the session stopped meanwhile) is offered again at once. */
    private void deliver(ConsumedBatch batch) {
        if (state != State.ACTIVE) {
            batch.receipt().undelivered();
            return;
        }
        for (ConsumedMessage m : batch.messages()) {
            credits--;
            if (!subscription.autoAck()) {
                unacked.put(new AckRequest(subscription.group(), m.topic(), m.partition(), m.offset()), new Unacked(m, batch.receipt()));
                if (unacked.size() > MAX_REMEMBERED) {
                    unacked.remove(unacked.keySet().iterator().next());
                }
            }
        }
        // A write that fails means the connection is gone: the session ends, and what it holds is offered again.
        batch.settleWith(sink.messages(batch.messages())).onFailure(failure -> close());
    }

    private void retryOrEnd(String topic, GatewayException error) {
        if (state != State.ACTIVE) {
            return;
        }
        if (error.code() == ErrorCode.REQUEST_TIMED_OUT) {
            poll(topic);
        } else if (error.code() == ErrorCode.THROTTLING_QUOTA_EXCEEDED) {
            vertx.setTimer(RETRY_MILLIS, id -> poll(topic));
        } else {
            close();
            sink.failed(error);
        }
    }

    /**
     * The gateway is stopping: no more messages are taken for this session, but acknowledgements of what it already
     * has still count, until {@link #close()} at the end of the drain.
     */
    public void drain() {
        if (state == State.ACTIVE) {
            state = State.DRAINING;
            abandonment.abandon();
        }
    }

    /** Stops polling; what was handed out here and not acknowledged is offered again at once. Safe to repeat. */
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        abandonment.abandon();
        Map<Receipt, List<ConsumedMessage>> byBatch = new LinkedHashMap<>();
        unacked.values().forEach(u -> byBatch.computeIfAbsent(u.receipt(), r -> new ArrayList<>()).add(u.message()));
        byBatch.forEach(Receipt::returned);
        unacked.clear();
    }
}
