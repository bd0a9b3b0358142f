package io.kafkagateway.consumer;

import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.OffsetSetting;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one group member makes reachable for the other gateways: each partition it owns (acknowledgements and moves
 * for it), and each topic it owns partitions of (consume requests of gateways that own none). Claimed on
 * assignment, released on revocation before the revocation's commit points are taken. Confined to the consumer
 * engine's event loop.
 */
final class PeerClaims {

    private final String group;
    private final Peers peers;
    private final GroupMember member;
    private final Map<TopicPartition, Peers.Claim> partitions = new HashMap<>();
    private final Map<String, Peers.Claim> topics = new HashMap<>();

    PeerClaims(String group, Peers peers, GroupMember member) {
        this.group = group;
        this.peers = peers;
        this.member = member;
    }

    void own(TopicPartition partition) {
        if (!peers.clustered() || partitions.containsKey(partition)) {
            return;
        }
        String topic = partition.topic();
        partitions.put(partition, peers.claim(group, partition, new Peers.PartitionOwner() {
            @Override
            public void ack(long offset) {
                member.ack(topic, partition.partition(), offset);
            }

            @Override
            public Future<Void> setOffset(OffsetSetting setting) {
                return member.setOffsets(topic, List.of(setting), false);
            }
        }));
        topics.computeIfAbsent(topic, t -> peers.claim(group, t, new Peers.TopicOwner() {
            @Override
            public Future<ConsumedBatch> consume(ConsumeRequest request, Duration wait) {
                return member.consumeForPeer(request, wait);
            }
        }));
    }

    /** Stops other gateways reaching {@code released} here; completes once that is known everywhere. */
    Future<Void> release(Collection<TopicPartition> released) {
        if (!peers.clustered()) {
            return Future.succeededFuture();
        }
        List<Future<Void>> done = new ArrayList<>();
        for (TopicPartition partition : released) {
            Peers.Claim claim = partitions.remove(partition);
            if (claim != null) {
                done.add(claim.release());
            }
        }
        for (TopicPartition partition : released) {
            String topic = partition.topic();
            boolean stillOwned = partitions.keySet().stream().anyMatch(p -> p.topic().equals(topic));
            Peers.Claim claim = stillOwned ? null : topics.remove(topic);
            if (claim != null) {
                done.add(claim.release());
            }
        }
        return Future.join(done).<Void>mapEmpty().recover(failure -> Future.succeededFuture());
    }

    Future<Void> releaseAll() {
        return release(List.copyOf(partitions.keySet()));
    }
}
