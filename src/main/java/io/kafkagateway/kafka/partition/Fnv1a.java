package io.kafkagateway.kafka.partition;

/** 32-bit FNV-1a, the hash Kafka-Pixy's {@code hash} partitioner applies to keys. */
public final class Fnv1a {

    private static final int OFFSET_BASIS = 0x811c9dc5;
    private static final int PRIME = 0x01000193;

    private Fnv1a() {
    }

    public static int hash32(byte[] data) {
        int hash = OFFSET_BASIS;
        for (byte b : data) {
            hash ^= b & 0xff;
            hash *= PRIME;
        }
        return hash;
    }

    /**
     * The partition Kafka-Pixy picks for {@code key} among {@code partitions}: the hash read as a signed 32-bit
     * integer, remainder by the partition count, sign dropped.
     */
    public static int partition(byte[] key, int partitions) {
        int p = hash32(key) % partitions;
        return p < 0 ? -p : p;
    }
}
