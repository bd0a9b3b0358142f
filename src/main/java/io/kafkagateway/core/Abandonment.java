package io.kafkagateway.core;

/**
 * How the sender of a parked consume request says its answer is no longer wanted (the HTTP client went away, the
 * stream closed), so that the consumer engine hands no messages to it: an auto-acknowledged message handed to a
 * client that is gone would be lost. Set on the sender's thread, read on the cluster verticle's.
 */
public final class Abandonment {

    /** For requests whose answer is always wanted; {@link #abandon()} does nothing on it. */
    public static final Abandonment NEVER = new Abandonment();

    private volatile boolean abandoned;

    public void abandon() {
        if (this != NEVER) {
            abandoned = true;
        }
    }

    public boolean abandoned() {
        return abandoned;
    }
}
