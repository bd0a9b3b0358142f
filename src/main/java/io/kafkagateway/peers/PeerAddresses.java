package io.kafkagateway.peers;

import org.apache.kafka.common.TopicPartition;

/**
 * Clustered event-bus addresses between gateways. Cluster, group and topic names cannot hold '/', so the parts never
 * run into each other.
 */
final class PeerAddresses {

    private static final String PREFIX = "kgw.peers/";

    private PeerAddresses() {
    }

    /** The owner of one partition of a group: acknowledgements and moves. */
    static String partition(String cluster, String group, TopicPartition partition) {
        return PREFIX + "partition/" + cluster + "/" + group + "/" + partition.topic() + "/" + partition.partition();
    }

    /** The owners of a group's partitions of a topic: consume requests of gateways that own none. */
    static String topic(String cluster, String group, String topic) {
        return PREFIX + "topic/" + cluster + "/" + group + "/" + topic;
    }

    /** One gateway: reports on the batches it handed to others. */
    static String node(String cluster, String instance, long incarnation) {
        return PREFIX + "node/" + cluster + "/" + instance + "/" + incarnation;
    }
}
