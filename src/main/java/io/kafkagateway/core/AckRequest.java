package io.kafkagateway.core;

/**
 * Acknowledges the message at ({@code partition}, {@code offset}) of {@code topic} for {@code group}. Every front-end
 * builds one of these, so the check of what an acknowledgement may name lives here, once.
 *
 * @throws GatewayException INVALID_REQUEST when the partition or the offset is negative
 */
public record AckRequest(String group, String topic, int partition, long offset) {

    public AckRequest {
        if (partition < 0 || offset < 0) {
            throw GatewayException.invalid("an acknowledgement names a partition and an offset of 0 or more, got partition "
                    + partition + ", offset " + offset);
        }
    }
}
