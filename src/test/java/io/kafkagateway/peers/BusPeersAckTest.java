package io.kafkagateway.peers;

import io.kafkagateway.consumer.Peers;
import io.kafkagateway.core.OffsetSetting;
import io.kafkagateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An acknowledgement passed to a partition's owner (on one Vert.x's event bus: the addressing is the same). */
class BusPeersAckTest {

    private final Vertx vertx = Vertx.vertx();
    private final TopicPartition partition = new TopicPartition("t", 0);

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private BusPeers peers() throws Exception {
        return vertx.<BusPeers>executeBlocking(() -> {
            PeerCodecs.register(vertx.eventBus());
            return new BusPeers("c", vertx, vertx.getOrCreateContext(), "gw-test", Duration.ofMinutes(1), new GatewayMetrics());
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Peers.PartitionOwner recording(List<Long> acks) {
        return new Peers.PartitionOwner() {
            @Override
            public void ack(long offset) {
                acks.add(offset);
            }

            @Override
            public Future<Void> setOffset(OffsetSetting setting) {
                return Future.succeededFuture();
            }
        };
    }

    @Test
    void anAckThatFindsNoOwnerWaitsForTheNextOwnersRegistration() throws Exception {
        // Given: the partition between owners
        BusPeers peers = peers();
        List<Long> acks = new CopyOnWriteArrayList<>();

        // When: acknowledged now, and owned again half a second later
        var acked = peers.ack("g", partition, 41).toCompletionStage().toCompletableFuture();
        vertx.setTimer(500, id -> peers.claim("g", partition, recording(acks)));

        // Then: the acknowledgement reached the new owner instead of failing
        acked.get(10, TimeUnit.SECONDS);
        assertThat(acks).containsExactly(41L);
    }

    @Test
    void anAckNobodyClaimsFailsWithNoOwnerOnceTheWaitIsOver() throws Exception {
        BusPeers peers = peers();
        long started = System.nanoTime();

        Throwable failure = peers.ack("g", partition, 7).toCompletionStage().toCompletableFuture()
                .handle((ok, e) -> e).get(10, TimeUnit.SECONDS);

        assertThat(Peers.noOwner(failure)).as(String.valueOf(failure)).isTrue();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(BusPeers.OWNER_WAIT.toNanos());
    }
}
