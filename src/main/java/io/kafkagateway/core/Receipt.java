package io.kafkagateway.core;

import java.util.List;

/**
 * What became of a batch of consumed messages on its way to the client. The consumer engine hands a batch out and
 * waits for this: only a batch {@link #delivered()} counts as sent (an auto-acknowledged message is acknowledged
 * then, not when it left the engine), and one {@link #undelivered()} (the write failed, the client went away) is
 * offered again at once. A batch whose receipt never comes is offered again after the ack timeout. Each front-end
 * reports exactly once per batch, from any thread.
 */
public interface Receipt {

    /** For batches that need no receipt (tests, readers). */
    Receipt NONE = new Receipt() {
        @Override
        public void delivered() {
        }

        @Override
        public void undelivered() {
        }

        @Override
        public void returned(List<ConsumedMessage> messages) {
        }
    };

    /** The batch was written to the client's connection. */
    void delivered();

    /** The batch did not reach the client's connection; its messages are offered again at once. */
    void undelivered();

    /**
     * {@code messages}, of this batch and delivered, were not acknowledged by a client that is now gone (its stream
     * closed): they are offered again at once, unless they were offered again meanwhile (their ack timeout passed).
     * May follow {@link #delivered()}, once.
     */
    void returned(List<ConsumedMessage> messages);
}
