package io.kafkagateway.consumer;

import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;

/**
 * The consume requests parked for one topic of a group, oldest first.
 *
 * <p>Invariant: every waiter of a queue waits the same long-polling timeout and they queue in arrival order, so their
 * deadlines only grow from head to tail: one timer, set for the head's deadline, expires them all in turn. A waiter
 * whose client stopped waiting is failed when it reaches the head, and never handed a message. Confined to the
 * consumer engine's event loop.
 */
final class WaitQueue {

    private final Vertx vertx;
    private final ConsumerStats stats;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long expiryTimer = -1;

    WaitQueue(Vertx vertx, ConsumerStats stats) {
        this.vertx = vertx;
        this.stats = stats;
    }

    /** Parks {@code request} until {@code deadlineNanos}. */
    Waiter park(ConsumeRequest request, long deadlineNanos) {
        Waiter waiter = new Waiter(request, deadlineNanos);
        waiters.addLast(waiter);
        stats.waiting.incrementAndGet();
        armExpiry();
        return waiter;
    }

    /** The oldest waiter still wanting an answer by {@code nowNanos}, left in the queue; null when none. */
    Waiter next(long nowNanos) {
        while (!waiters.isEmpty()) {
            Waiter head = waiters.peekFirst();
            if (head.abandoned()) {
                take().promise.tryFail(GatewayException.unavailable("the client stopped waiting"));
            } else if (head.deadlineNanos - nowNanos <= 0) {
                take().promise.tryFail(timeout());
            } else {
                return head;
            }
        }
        return null;
    }

    /** Takes the oldest waiter off the queue. */
    Waiter take() {
        stats.waiting.decrementAndGet();
        return waiters.pollFirst();
    }

    /** Takes {@code waiter} off the queue, wherever it is; false when it was not there. */
    boolean remove(Waiter waiter) {
        if (waiters.removeLastOccurrence(waiter)) {
            stats.waiting.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Live waiters, after failing those whose client left or whose time is up. */
    int live(long nowNanos) {
        next(nowNanos);
        return waiters.size();
    }

    boolean isEmpty() {
        return waiters.isEmpty();
    }

    /** Fails every waiter with {@code error} and stops the timer. */
    void refuseAll(GatewayException error) {
        while (!waiters.isEmpty()) {
            take().promise.tryFail(error);
        }
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
    }

    private void armExpiry() {
        if (expiryTimer >= 0 || waiters.isEmpty()) {
            return;
        }
        long delayMillis = Math.max(1, (waiters.peekFirst().deadlineNanos - System.nanoTime() + 999_999) / 1_000_000);
        expiryTimer = vertx.setTimer(delayMillis, id -> {
            expiryTimer = -1;
            long now = System.nanoTime();
            while (!waiters.isEmpty() && waiters.peekFirst().deadlineNanos - now <= 0) {
                take().promise.tryFail(timeout());
            }
            armExpiry();
        });
    }

    static GatewayException timeout() {
        return new GatewayException(ErrorCode.REQUEST_TIMED_OUT, "long polling timeout");
    }
}
