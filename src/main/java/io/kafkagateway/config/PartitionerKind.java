package io.kafkagateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * How a record without an explicit partition is placed.
 * <ul>
 * <li>{@code hash} (alias {@code fnv1a}): FNV-1a of the key, byte-compatible with Kafka-Pixy; keyless records go to a
 * random partition. The default, so that keys keep landing where Pixy put them.</li>
 * <li>{@code murmur2}: the Java client's default, compatible with Kafka's own clients and Kafka Streams.</li>
 * <li>{@code random}: every record to a random partition, key or not.</li>
 * <li>{@code roundrobin}: partitions in turn, key or not.</li>
 * </ul>
 */
public enum PartitionerKind implements ConfigEnums.Spelled {
    HASH("hash", "fnv1a"),
    MURMUR2("murmur2"),
    RANDOM("random"),
    ROUNDROBIN("roundrobin");

    private final String[] spellings;

    PartitionerKind(String... spellings) {
        this.spellings = spellings;
    }

    @Override
    public String[] spellings() {
        return spellings.clone();
    }

    @JsonCreator
    public static PartitionerKind parse(String text) {
        return ConfigEnums.parse(PartitionerKind.class, text);
    }
}
