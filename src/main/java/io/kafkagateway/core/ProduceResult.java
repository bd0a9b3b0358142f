package io.kafkagateway.core;

/** Where a produced record landed. An asynchronous produce answers {@link #ACCEPTED}: queued, position not yet known. */
public record ProduceResult(int partition, long offset) {

    public static final ProduceResult ACCEPTED = new ProduceResult(-1, -1L);

    public boolean accepted() {
        return partition < 0;
    }
}
