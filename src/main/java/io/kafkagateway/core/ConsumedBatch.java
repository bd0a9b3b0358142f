package io.kafkagateway.core;

import io.vertx.core.Future;

import java.util.List;

/**
 * What one consume request took: at least one message, in the order they were handed out, and the {@link Receipt}
 * its front-end reports the write of the batch to.
 */
public record ConsumedBatch(List<ConsumedMessage> messages, Receipt receipt) {

    public ConsumedBatch {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one message");
        }
        receipt = receipt == null ? Receipt.NONE : receipt;
    }

    public ConsumedBatch(List<ConsumedMessage> messages) {
        this(messages, Receipt.NONE);
    }

    public ConsumedMessage first() {
        return messages.get(0);
    }

    /**
     * Reports the outcome of {@code write}, the write of this batch to the client, to the engine: the one way every
     * front-end settles what it was handed.
     */
    public <T> Future<T> settleWith(Future<T> write) {
        return write.onComplete(done -> {
            if (done.succeeded()) {
                receipt.delivered();
            } else {
                receipt.undelivered();
            }
        });
    }
}
