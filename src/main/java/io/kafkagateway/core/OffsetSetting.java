package io.kafkagateway.core;

/**
 * Where to move a group in one partition: an offset (or -1 for the partition's end, -2 for its beginning) and the
 * commit metadata to store with it (sparse acknowledgements in Kafka-Pixy's encoding, or any text; null is none).
 *
 * @throws GatewayException INVALID_REQUEST for a negative partition or an offset below -2
 */
public record OffsetSetting(int partition, long offset, String metadata) {

    public OffsetSetting {
        if (partition < 0) {
            throw GatewayException.invalid("bad partition: " + partition + " is not a partition number (0 or more)");
        }
        if (offset < PartitionOffset.OLDEST) {
            throw GatewayException.invalid("bad offset " + offset + " for partition " + partition
                    + "; use an offset (0 or more), -1 for the partition's end or -2 for its beginning");
        }
    }

    /** The metadata to commit: the given text, or empty. */
    public String metadataOrEmpty() {
        return metadata == null ? "" : metadata;
    }
}
