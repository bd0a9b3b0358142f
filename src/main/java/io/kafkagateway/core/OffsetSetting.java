package io.kafkagateway.core;

/**
 * Where to move a group in one partition: an offset (or -1 for the partition's end, -2 for its beginning) and the
 * commit metadata to store with it (sparse acknowledgements in Kafka-Pixy's encoding, or any text; null is none).
 *
 * @throws GatewayException INVALID_REQUEST for a negative partition, an offset below -2 or metadata longer than
 *                          {@link #MAX_METADATA_CHARS}
 */
public record OffsetSetting(int partition, long offset, String metadata) {

    /** Commit metadata Kafka stores by default ({@code offset.metadata.max.bytes}); longer is refused here. */
    public static final int MAX_METADATA_CHARS = 4096;

    public OffsetSetting {
        if (partition < 0) {
            throw GatewayException.invalid("bad partition: " + partition + " is not a partition number (0 or more)");
        }
        if (offset < PartitionOffset.OLDEST) {
            throw GatewayException.invalid("bad offset " + offset + " for partition " + partition
                    + "; use an offset (0 or more), -1 for the partition's end or -2 for its beginning");
        }
        if (metadata != null && metadata.length() > MAX_METADATA_CHARS) {
            throw GatewayException.invalid("metadata of " + metadata.length() + " characters for partition " + partition
                    + " is longer than the " + MAX_METADATA_CHARS + " Kafka stores (offset.metadata.max.bytes)");
        }
    }

    /** The metadata to commit: the given text, or empty. */
    public String metadataOrEmpty() {
        return metadata == null ? "" : metadata;
    }
}
