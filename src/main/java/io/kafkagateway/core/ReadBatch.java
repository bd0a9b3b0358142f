package io.kafkagateway.core;

import java.util.List;

/** What a {@link ReadRequest} found: records in offset order (none when nothing came in time), and where to go on. */
public record ReadBatch(List<ConsumedMessage> messages, long nextOffset) {

    public ReadBatch {
        messages = List.copyOf(messages);
    }
}
