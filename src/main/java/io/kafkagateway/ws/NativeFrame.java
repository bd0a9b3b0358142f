package io.kafkagateway.ws;

import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.stream.Subscription;

/** What a client of the native dialect can send, whichever framing it uses. */
sealed interface NativeFrame {

    record Subscribe(Subscription subscription) implements NativeFrame {
    }

    record Credits(long count) implements NativeFrame {
    }

    record Ack(String topic, int partition, long offset) implements NativeFrame {
    }

    record Produce(String id, ProduceRequest message) implements NativeFrame {
    }

    record Unsubscribe() implements NativeFrame {
    }
}
