package io.kafkagateway.bus;

/** Event-bus addresses served by the {@code kafka-cluster} verticle of each configured cluster. */
public final class Addresses {

    private static final String PREFIX = "kgw.cluster.";

    private Addresses() {
    }

    /** Schema registry commands ({@code SchemaCommand}) for the registry kept in this cluster, answered with a {@code SchemaReply}. */
    public static String schemas(String cluster) {
        return PREFIX + cluster + ".schemas";
    }

    /** Clustered: the registry's elected writer takes other gateways' registry writes here (JSON wire documents). */
    public static String schemaWriter(String cluster) {
        return "kgw.peers.schemas." + cluster + ".writer";
    }

    public static String produce(String cluster) {
        return PREFIX + cluster + ".produce";
    }

    /** Produces several messages synchronously ({@code ProduceBatch}), answered with an outcome per message. */
    public static String produceBatch(String cluster) {
        return PREFIX + cluster + ".produce.batch";
    }

    public static String consume(String cluster) {
        return PREFIX + cluster + ".consume";
    }

    public static String ack(String cluster) {
        return PREFIX + cluster + ".ack";
    }

    public static String offsets(String cluster) {
        return PREFIX + cluster + ".offsets";
    }

    public static String setOffsets(String cluster) {
        return PREFIX + cluster + ".offsets.set";
    }

    /** Commits a client-kept position ({@code PositionCommit}), refused for groups the engine consumes. */
    public static String commitPosition(String cluster) {
        return PREFIX + cluster + ".commit-position";
    }

    public static String consumers(String cluster) {
        return PREFIX + cluster + ".consumers";
    }

    /** Reads a partition outside any group ({@code ReadRequest}). */
    public static String read(String cluster) {
        return PREFIX + cluster + ".read";
    }

    /** Closes a reader (its name, a {@code String}). */
    public static String closeReader(String cluster) {
        return PREFIX + cluster + ".read.close";
    }

    /** Looks up an offset by time ({@code ListOffsetRequest}). */
    public static String listOffset(String cluster) {
        return PREFIX + cluster + ".list-offset";
    }

    /** Lifecycle commands for the cluster verticle: {@code "drain"} makes it refuse new work and finish the rest. */
    public static String lifecycle(String cluster) {
        return PREFIX + cluster + ".lifecycle";
    }

    /** Commands for the cluster's consumer instances ({@code InstanceCommand}), answered with an {@code InstanceReply}. */
    public static String instances(String cluster) {
        return PREFIX + cluster + ".instances";
    }

    /** Lists the cluster's brokers (any body), answered with a {@code BrokerList}. */
    public static String brokers(String cluster) {
        return PREFIX + cluster + ".brokers";
    }

    /** Lists the cluster's topics ({@code TopicQuery} without a topic). */
    public static String topics(String cluster) {
        return PREFIX + cluster + ".topics";
    }

    /** Describes one topic ({@code TopicQuery} with a topic). */
    public static String topic(String cluster) {
        return PREFIX + cluster + ".topic";
    }
}
