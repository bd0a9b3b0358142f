package io.kafkagateway.core;

import java.util.List;

/**
 * Messages one stream produces together, each synchronously: one event-bus hop and one hand-off to the producer for
 * all of them, and one answer with an outcome per message, in order. A message's failure is its own; the others go on.
 */
public record ProduceBatch(List<ProduceRequest> messages) {

    /** At most this many messages per batch. */
    public static final int MAX_MESSAGES = 256;

    public ProduceBatch {
        messages = List.copyOf(messages);
        if (messages.isEmpty() || messages.size() > MAX_MESSAGES) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_MESSAGES + " messages, not " + messages.size());
        }
    }

    /** The answer: {@code outcomes.get(i)} is what became of {@code messages.get(i)}. */
    public record Result(List<Outcome> outcomes) {
    }

    /** Where one message landed, or why it was not produced; exactly one of the two is set. */
    public record Outcome(ProduceResult result, GatewayException error) {

        public static Outcome of(ProduceResult result) {
            return new Outcome(result, null);
        }

        public static Outcome failed(GatewayException error) {
            return new Outcome(null, error);
        }
    }
}
