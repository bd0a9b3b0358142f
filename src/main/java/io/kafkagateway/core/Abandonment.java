package io.kafkagateway.core;

/**
 * How the sender of a parked consume request says its answer is no longer wanted (the HTTP client went away, the
 * stream closed), so that the consumer engine hands no messages to it: an auto-acknowledged message handed to a
 * client that is gone would be lost. Set on the sender's thread, read on the cluster verticle's.
 */
public final class Abandonment {

    /** For requests whose answer is always wanted; {@link #abandon()} does nothing on it. */
    public static final Abandonment NEVER = new Abandonment(null);

    private final Abandonment parent;
    private volatile boolean abandoned;

    public Abandonment() {
        this(null);
    }

    private Abandonment(Abandonment parent) {
        this.parent = parent;
    }

    /** An abandonment of its own that also counts as abandoned once this one is (a caller's, say). */
    public Abandonment child() {
        return new Abandonment(this == NEVER ? null : this);
    }

    public void abandon() {
        if (this != NEVER) {
            abandoned = true;
        }
    }

    public boolean abandoned() {
        return abandoned || (parent != null && parent.abandoned());
    }
}
