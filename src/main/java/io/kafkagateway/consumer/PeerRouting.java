package io.kafkagateway.consumer;

import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Where a group member's consume requests go when other gateways share the group: a member owning no partition of a
 * topic (after the group settled) passes its requests to an owner; a member with nothing ready asks a few owners for
 * a backlog while its request stays parked; and a request a peer passes here is parked briefly and never passed on
 * again. Confined to the consumer engine's event loop, like its member.
 */
final class PeerRouting {

    /** How a member parks a request until a deadline (see {@code GroupMember.park}). */
    interface Parking {
        /** @throws GatewayException THROTTLING when too many requests wait already */
        Waiter park(ConsumeRequest request, TopicSubscription subscription, long now, long deadlineNanos);
    }

    /** How much earlier than its client's deadline a request passed to a peer must be answered there. */
    static final Duration PEER_MARGIN = Duration.ofMillis(250);
    /** Gateways asked for ready messages before a request waits here (one of them may be this one). */
    static final int PROBES = 3;
    /** The shortest wait of a request a peer passed here. */
    static final Duration PROBE_FLOOR = Duration.ofMillis(5);
    /**
     * How long a request waits here for this member's own next fetch before owners elsewhere are asked: a member
     * keeping up with its partitions' backlog is briefly empty between two fetches, and asking peers at each such
     * moment would cost a round of bus requests (and a message given back when both answer) for nothing.
     */
    static final Duration PROBE_DELAY = Duration.ofMillis(20);

    private final Peers peers;
    private final Parking parking;
    private final BooleanSupplier closed;
    private final Vertx vertx;
    /** When the last rebalance completed: a topic subscribed before it has its assignment here. */
    private long settledNanos;

    PeerRouting(Peers peers, Parking parking, BooleanSupplier closed, Vertx vertx) {
        this.peers = peers;
        this.parking = parking;
        this.closed = closed;
        this.vertx = vertx;
    }

    boolean clustered() {
        return peers.clustered();
    }

    /** Clustered, settled after a rebalance, and owning no partition of the topic: an owner elsewhere serves it. */
    boolean strandedHere(TopicSubscription subscription) {
        return peers.clustered() && subscription.partitions.isEmpty() && settledNanos - subscription.addedNanos > 0;
    }

    /** A rebalance completed: requests parked for topics this member no longer owns any partition of go to owners. */
    void settled(Iterable<TopicSubscription> subscriptions) {
        settledNanos = System.nanoTime();
        subscriptions.forEach(this::passStranded);
    }

    private void passStranded(TopicSubscription subscription) {
        if (!strandedHere(subscription)) {
            return;
        }
        long now = System.nanoTime();
        while (subscription.waiters.next(now) != null) {
            Waiter waiter = subscription.waiters.take();
            forward(waiter.request, subscription, waiter.deadlineNanos).onComplete(waiter.promise);
        }
    }

    /** Passes {@code request} to a gateway owning partitions of its topic; parks it here when none does. */
    Future<ConsumedBatch> forward(ConsumeRequest request, TopicSubscription subscription, long deadlineNanos) {
        long now = System.nanoTime();
        // a little before the client's own deadline, so that the answer has time to come back
        Duration wait = Duration.ofNanos(Math.max(0, deadlineNanos - now - PEER_MARGIN.toNanos()));
        return peers.consume(forPeers(request), wait).transform(done -> {
            if (done.succeeded()) {
                return done.result() != null ? Future.succeededFuture(done.result()) : Future.failedFuture(WaitQueue.timeout());
            }
            if (done.cause() == Peers.NO_OWNER && !closed.getAsBoolean()) {
                try {
                    return parking.park(request, subscription, System.nanoTime(), deadlineNanos).promise.future();
                } catch (GatewayException tooMany) {
                    return Future.failedFuture(tooMany);
                }
            }
            return Future.failedFuture(done.cause());
        });
    }

    /**
     * Nothing was ready for {@code waiter} here: when nothing comes within {@link #PROBE_DELAY} either, owners
     * elsewhere may have a backlog. The request stays parked meanwhile; what a peer hands out after it was served
     * here (or gave up) goes back at once.
     */
    void probeLater(Waiter waiter, TopicSubscription subscription) {
        Future<ConsumedBatch> served = waiter.promise.future();
        long timer = vertx.setTimer(PROBE_DELAY.toMillis(), id -> {
            if (!served.isComplete() && !closed.getAsBoolean()) {
                probe(waiter, subscription);
            }
        });
        served.onComplete(done -> vertx.cancelTimer(timer));
    }

    private void probe(Waiter waiter, TopicSubscription subscription) {
        probe(forPeers(waiter.request), PROBES).onSuccess(batch -> {
            if (batch != null && !(subscription.waiters.remove(waiter) && waiter.promise.tryComplete(batch))) {
                batch.receipt().undelivered();
            }
        });
    }

    /** Asks up to {@code attempts} gateways owning partitions of the topic for messages ready now; null when none. */
    private Future<ConsumedBatch> probe(ConsumeRequest passed, int attempts) {
        return peers.consume(passed, Duration.ZERO).transform(done -> {
            if (done.succeeded() && done.result() != null) {
                return Future.succeededFuture(done.result());
            }
            boolean again = attempts > 1 && !passed.abandonment().abandoned()
                    && (done.succeeded() || done.cause() != Peers.NO_OWNER);
            return again ? probe(passed, attempts - 1) : Future.succeededFuture(null);
        });
    }

    /**
     * Parks a request a gateway owning no partition of the topic passed here, at most {@code wait} (a probe's zero
     * still outlives the dispatch, which would take it for expired); succeeds with null when nothing came.
     */
    Future<ConsumedBatch> serve(ConsumeRequest request, TopicSubscription subscription, Duration wait) {
        long now = System.nanoTime();
        subscription.lastRequestNanos = now;
        Waiter waiter;
        try {
            waiter = parking.park(request, subscription, now, now + Math.max(wait.toNanos(), PROBE_FLOOR.toNanos()));
        } catch (GatewayException tooMany) {
            return Future.failedFuture(tooMany);
        }
        return waiter.promise.future().recover(failure -> failure instanceof GatewayException e && e.code() == ErrorCode.REQUEST_TIMED_OUT
                        ? Future.succeededFuture(null) : Future.failedFuture(failure));
    }

    /** {@code request} as passed to another gateway: the acknowledgement it carried was made here already. */
    static ConsumeRequest forPeers(ConsumeRequest request) {
        return request.ackMode() != AckMode.EXPLICIT ? request
                : new ConsumeRequest(request.group(), request.topic(), AckMode.NONE, -1, -1, request.initialOffset(),
                request.maxMessages(), request.abandonment());
    }
}
