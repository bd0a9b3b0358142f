package io.kafkagateway.consumer;

import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.vertx.core.Promise;

/** A parked consume request: answered with up to its batch of messages, or failed once its deadline passes. */
final class Waiter {

    final ConsumeRequest request;
    final Promise<ConsumedBatch> promise = Promise.promise();
    final long deadlineNanos;

    Waiter(ConsumeRequest request, long deadlineNanos) {
        this.request = request;
        this.deadlineNanos = deadlineNanos;
    }

    boolean abandoned() {
        return request.abandonment().abandoned();
    }
}
