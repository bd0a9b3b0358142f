package io.kafkagateway.kafka;

import io.kafkagateway.core.Failures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.KafkaFuture;


/**
 * Bridges Kafka admin futures onto a Vert.x context, so their callbacks run on the verticle's event loop, and fails
 * them with Kafka's own exception rather than a wrapper.
 */
public final class KafkaFutures {

    private KafkaFutures() {
    }

    public static <T> Future<T> on(Context context, KafkaFuture<T> future) {
        return Future.fromCompletionStage(future.toCompletionStage(), context)
                .recover(failure -> Future.failedFuture(Failures.unwrap(failure)));
    }
}
