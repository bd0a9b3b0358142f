package io.kafkagateway.stream;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.Abandonment;
import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

        /** Messages one poll took, in order: one frame each, or one frame for all when the subscription batches. */
        void messages(List<ConsumedMessage> messages);

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

    private enum State { ACTIVE, CLOSED }

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final Subscription subscription;
    private final String cluster;
    private final Sink sink;
    /** Polls under way, per topic. */
    private final Map<String, Integer> polling = new HashMap<>();
    private final Set<AckRequest> unacked = new LinkedHashSet<>();
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

    /** The client allows {@code count} more messages. */
    public void grant(long count) {
        if (count < 0) {
            throw GatewayException.invalid("credits must not be negative, got " + count);
        }
        credits = Math.min(maxCredits, credits + count);
        resume();
    }

    /** Acknowledges a message this session (or another consumer of the group here) handed out. */
    public void ack(String topic, int partition, long offset) {
        if (partition < 0 || offset < 0) {
            throw GatewayException.invalid("an acknowledgement needs a partition and offset of 0 or more, got partition "
                    + partition + ", offset " + offset);
        }
        AckRequest ack = new AckRequest(subscription.group(), topic, partition, offset);
        clusters.ack(cluster, ack).onComplete(done -> {
            if (done.succeeded()) {
                unacked.remove(ack);
            } else if (state == State.ACTIVE) {
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
        clusters.consumeBatch(cluster, new ConsumeRequest(subscription.group(), topic, mode, -1, -1, subscription.initialOffset(), batch,
                        abandonment))
                .onComplete(done -> {
                    polling.merge(topic, -1, (a, b) -> a + b == 0 ? null : a + b);
                    inFlight -= batch;
                    if (done.succeeded()) {
                        deliver(done.result().messages());
                        resume();
                    } else {
                        retryOrEnd(topic, GatewayException.from(done.cause()));
                    }
                });
        return true;
    }

    private void deliver(List<ConsumedMessage> messages) {
        for (ConsumedMessage m : messages) {
            AckRequest pending = new AckRequest(subscription.group(), m.topic(), m.partition(), m.offset());
            if (state != State.ACTIVE) {
                if (!subscription.autoAck()) {
                    clusters.offerAgainNow(cluster, pending);
                }
                continue;
            }
            credits--;
            if (!subscription.autoAck()) {
                unacked.add(pending);
                if (unacked.size() > MAX_REMEMBERED) {
                    unacked.remove(unacked.iterator().next());
                }
            }
        }
        if (state == State.ACTIVE) {
            sink.messages(messages);
        }
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

    /** Stops polling; what was handed out here and not acknowledged is offered again at once. Safe to repeat. */
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        abandonment.abandon();
        unacked.forEach(pending -> clusters.offerAgainNow(cluster, pending));
        unacked.clear();
    }
}
