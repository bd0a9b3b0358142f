package io.kafkagateway.core;

import java.util.List;

/** What one consume request took: at least one message, in the order they were handed out. */
public record ConsumedBatch(List<ConsumedMessage> messages) {

    public ConsumedBatch {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one message");
        }
    }

    public ConsumedMessage first() {
        return messages.get(0);
    }
}
