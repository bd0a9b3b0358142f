package io.kafkagateway.kafka.partition;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

import java.util.Map;

/**
 * Kafka-Pixy's {@code hash} partitioner: keyed records by {@link Fnv1a#partition}, over all partitions so a key
 * always maps to the same one; keyless records to a random available partition.
 */
public final class FnvHashPartitioner implements Partitioner {

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        if (keyBytes == null) {
            return RandomPartitioner.randomPartition(topic, cluster);
        }
        return Fnv1a.partition(keyBytes, cluster.partitionCountForTopic(topic));
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
