package io.kafkagateway.ws;

import java.util.concurrent.atomic.AtomicInteger;

/** How many WebSocket connections the gateway holds at once, across every event loop and dialect. */
public final class ConnectionBudget {

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionBudget(int limit) {
        this.limit = limit;
    }

    /** Takes a place, or answers false when all {@code limit} are taken. */
    boolean tryAcquire() {
        while (true) {
            int now = open.get();
            if (now >= limit) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }

    int limit() {
        return limit;
    }
}
