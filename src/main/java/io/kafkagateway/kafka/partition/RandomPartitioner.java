package io.kafkagateway.kafka.partition;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Every record, keyed or not, to a random partition that has a leader (any partition if none has). */
public final class RandomPartitioner implements Partitioner {

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        return randomPartition(topic, cluster);
    }

    static int randomPartition(String topic, Cluster cluster) {
        List<PartitionInfo> available = cluster.availablePartitionsForTopic(topic);
        if (!available.isEmpty()) {
            return available.get(ThreadLocalRandom.current().nextInt(available.size())).partition();
        }
        return ThreadLocalRandom.current().nextInt(cluster.partitionCountForTopic(topic));
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
