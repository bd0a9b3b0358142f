package io.kafkagateway.consumer;

import io.kafkagateway.config.ConfigLoader;
import io.kafkagateway.config.ConfigOverrides;
import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.core.AckMode;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.OffsetSetting;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A group member's invariants on its event loop, with the Kafka consumer replaced by a {@link GroupDriver} the test
 * drives (assignments, fetches and commit answers arrive when the test says): what counts as delivered, fencing of a
 * moved position, partitions that outlive their topic's subscription, commits that failed, and the memory budget.
 */
class GroupMemberTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);

    /** Records what the member asks of Kafka; commits are answered by the test. */
    static final class FakeDriver implements GroupDriver {
        final List<Set<String>> subscriptions = new CopyOnWriteArrayList<>();
        final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Set<TopicPartition>>> answers = new CopyOnWriteArrayList<>();
        final List<long[]> seeks = new CopyOnWriteArrayList<>();

        @Override
        public void start() {
        }

        @Override
        public void subscribe(Set<String> topics) {
            subscriptions.add(Set.copyOf(topics));
        }

        @Override
        public boolean seek(TopicPartition partition, long offset, long currentEpoch, long newEpoch) {
            seeks.add(new long[] {partition.partition(), offset, newEpoch});
            return true;
        }

        @Override
        public CompletableFuture<Set<TopicPartition>> commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            commits.add(Map.copyOf(offsets));
            CompletableFuture<Set<TopicPartition>> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public CompletableFuture<Void> commitAndWait(Map<TopicPartition, OffsetAndMetadata> offsets) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> close(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout, boolean leave) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final ConsumerStats stats = new ConsumerStats();
    private final FakeDriver driver = new FakeDriver();
    private GroupMember member;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ConsumerSettings settings(String yaml) {
        return ConfigLoader.parse("proxies:\n  c:\n    consumer: " + yaml + "\n", ConfigOverrides.NONE).config().cluster("c").consumer();
    }

    private GroupMember member(String yaml) throws Exception {
        return member(settings(yaml), Long.MAX_VALUE);
    }

    private GroupMember member(ConsumerSettings settings, long budgetBytes) throws Exception {
        member = onLoop(() -> {
            GroupMember m = new GroupMember("c", "g", settings, stats, new MemoryBudget(budgetBytes, stats), vertx, context,
                    () -> { }, failure -> { }, Peers.NONE);
            m.start(driver);
            return m;
        });
        return member;
    }

    private <T> T onLoop(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>("t", 0, offset, null, ("m" + offset).getBytes());
    }

    /**
     * P0 assigned, committed at 0 in Kafka, with records {@code from} to {@code to - 1} fetched; the epoch comes from the
     * member's counter, as the driver takes it.
     */
    private long assignWithRecords(long from, long to) throws Exception {
        long epoch = member.epochs().incrementAndGet();
        member.assigned(List.of(new GroupDriver.Assigned(P0, new OffsetAndMetadata(0, ""), 0, epoch, true)));
        fetched(epoch, from, to);
        return epoch;
    }

    private void fetched(long epoch, long from, long to) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = LongStream.range(from, to).mapToObj(GroupMemberTest::record).toList();
        member.records(new GroupDriver.Fetched(new ConsumerRecords<>(Map.of(P0, records), Map.of()), Map.of(P0, epoch)));
        onLoop(() -> null);
    }

    private ConsumedBatch consume(AckMode mode) throws Exception {
        Future<ConsumedBatch> batch = onLoop(() -> member.consume(ConsumeRequest.of("g", "t", mode)));
        return batch.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What the member commits now for P0 (null when it sends nothing). */
    private OffsetAndMetadata commitNow() throws Exception {
        int before = driver.commits.size();
        onLoop(() -> {
            member.commit();
            return null;
        });
        return driver.commits.size() == before ? null : driver.commits.get(before).get(P0);
    }

    private void answerLastCommit(boolean committed) throws Exception {
        driver.answers.get(driver.answers.size() - 1).complete(committed ? Set.of(P0) : Set.of());
        onLoop(() -> null);
        onLoop(() -> null);
    }

    @Test
    void anAutoAcknowledgedMessageCountsOnlyOnceItsWriteIsReported() throws Exception {
        // Given: a message handed to an auto-acknowledging request
        member("{long_polling_timeout: 5s}");
        assignWithRecords(0, 3);
        ConsumedBatch batch = consume(AckMode.AUTO);
        assertThat(batch.first().offset()).isZero();

        // Then: until its write is reported, it is not acknowledged
        assertThat(commitNow()).isNull();

        // When: the front-end reports it written
        batch.receipt().delivered();

        // Then: acknowledged, and committed past it
        await().until(() -> stats.pendingAcks.get() == 0);
        assertThat(commitNow()).isEqualTo(new OffsetAndMetadata(1, ""));
    }

    @Test
    void aBatchThatCouldNotBeWrittenIsOfferedAgainAtOnce() throws Exception {
        // Given: a message handed out whose write failed (the client hung up)
        member("{long_polling_timeout: 5s}");
        assignWithRecords(0, 3);
        onLoop(() -> member.consume(ConsumeRequest.of("g", "t", AckMode.AUTO)));
        ConsumedBatch lost = consume(AckMode.AUTO);
        assertThat(lost.first().offset()).isEqualTo(1);

        // When
        lost.receipt().undelivered();
        onLoop(() -> null);

        // Then: the next request gets the same message, ahead of new ones
        assertThat(consume(AckMode.AUTO).first().offset()).isEqualTo(1);
    }

    @Test
    void aTopicLeftAndAskedForAgainBeforeTheRebalanceStillServesItsPartition() throws Exception {
        // Given: topic t, whose partition is owned, left for idleness while another topic (u) is waited for; the
        // rebalance that would take the partition away has not happened yet
        member("{long_polling_timeout: 5s, subscription_timeout: 1s}");
        long epoch = assignWithRecords(0, 1);
        ConsumedBatch first = consume(AckMode.NONE);
        onLoop(() -> member.consume(ConsumeRequest.of("g", "u", AckMode.NONE)));
        onLoop(() -> {
            member.ack("t", 0, first.first().offset());
            member.sweep(System.nanoTime() + Duration.ofMinutes(1).toNanos(), true);
            return null;
        });
        assertThat(driver.subscriptions).last().isEqualTo(Set.of("u"));

        // When: it is asked for again and a message arrives for the partition still owned
        Future<ConsumedBatch> next = onLoop(() -> member.consume(ConsumeRequest.of("g", "t", AckMode.NONE)));
        fetched(epoch, 1, 2);

        // Then: the request gets it
        assertThat(next.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).first().offset()).isEqualTo(1);
        assertThat(driver.subscriptions).last().isEqualTo(Set.of("t", "u"));
    }

    @Test
    void recordsFetchedBeforeTheOffsetWasMovedAreNeverTakenForAGap() throws Exception {
        // Given: offsets 0 to 4 fetched, 0 and 1 handed out
        member("{long_polling_timeout: 5s}");
        long assigned = assignWithRecords(0, 5);
        consume(AckMode.NONE);
        consume(AckMode.NONE);

        // When: a client moves the group back to 2, while records 5 to 9 of the old position are still on their way
        onLoop(() -> member.setOffsets("t", List.of(new OffsetSetting(0, 2, null))));
        long seekEpoch = driver.seeks.get(0)[2];
        assertThat(driver.seeks.get(0)[1]).isEqualTo(2);
        fetched(assigned, 5, 10);
        fetched(seekEpoch, 2, 10);

        // Then: everything from 2 is handed out in order, and nothing is committed past what was acknowledged
        List<Long> offsets = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            offsets.add(consume(AckMode.NONE).first().offset());
        }
        assertThat(offsets).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(commitNow().offset()).isEqualTo(2);
        assertThat(stats.fencedRecords.get()).isEqualTo(5);
    }

    @Test
    void aCommitThatFailedIsSentAgainThoughNothingChanged() throws Exception {
        // Given: an acknowledgement committed once, and the commit failed
        member("{long_polling_timeout: 5s}");
        assignWithRecords(0, 2);
        ConsumedBatch batch = consume(AckMode.NONE);
        onLoop(() -> {
            member.ack("t", 0, batch.first().offset());
            return null;
        });
        assertThat(commitNow()).isEqualTo(new OffsetAndMetadata(1, ""));
        answerLastCommit(false);

        // When / Then: the next periodic commit sends it again; once confirmed, it is not sent again
        assertThat(commitNow()).isEqualTo(new OffsetAndMetadata(1, ""));
        answerLastCommit(true);
        assertThat(commitNow()).isNull();
    }

    @Test
    void aNewGroupsStartThatKafkaDidNotTakeIsCommittedWithTheFirstPeriodicCommit() throws Exception {
        // Given: a partition whose start (a new group's latest) could not be committed at assignment
        member("{long_polling_timeout: 5s}");
        member.assigned(List.of(new GroupDriver.Assigned(P0, new OffsetAndMetadata(42, ""), 42, 1, false)));
        onLoop(() -> null);

        // When / Then: with nothing acknowledged, the start is committed anyway
        assertThat(commitNow()).isEqualTo(new OffsetAndMetadata(42, ""));
    }

    @Test
    void aLogThatMovedBackIsConsumedAgainFromItsStart() throws Exception {
        // Given: a group committed at 1000 on a partition whose log now starts again at 0 (recreated)
        member("{long_polling_timeout: 5s}");
        member.assigned(List.of(new GroupDriver.Assigned(P0, new OffsetAndMetadata(1000, ""), 1000, 1, true)));
        fetched(1, 0, 3);

        // Then: offsets 0 to 2 are delivered, not skipped as below the position
        assertThat(consume(AckMode.NONE).first().offset()).isZero();
        assertThat(stats.logRewinds.get()).isEqualTo(1);
    }

    @Test
    void anAckForAPartitionNotOwnedHereIsRefusedAndCounted() throws Exception {
        member("{long_polling_timeout: 5s}");
        onLoop(() -> member.consume(ConsumeRequest.of("g", "t", AckMode.NONE)));
        GatewayException refused = onLoop(() -> {
            try {
                member.ack("t", 3, 0);
                return null;
            } catch (GatewayException e) {
                return e;
            }
        });
        assertThat(refused.code()).isEqualTo(ErrorCode.PARTITION_NOT_OWNED);
        assertThat(stats.acksNotOwned.get()).isEqualTo(1);
    }

    @Test
    void aRequestThatFindsNothingWhileTheBudgetIsHeldIs429() throws Exception {
        // Given: a budget smaller than what one partition fetched
        member(settings("{long_polling_timeout: 5s}"), 100);
        assignWithRecords(0, 5);
        consume(AckMode.NONE);

        // When: a request for another topic, with nothing for it
        Future<ConsumedBatch> other = onLoop(() -> member.consume(ConsumeRequest.of("g", "u", AckMode.NONE)));

        // Then: refused at once instead of parked
        assertThat(other.failed()).isTrue();
        assertThat(GatewayException.from(other.cause()).code()).isEqualTo(ErrorCode.THROTTLING_QUOTA_EXCEEDED);
        assertThat(other.cause()).hasMessageContaining("consumer.max_memory_bytes");
    }

    @Test
    void aWriteThatFailedDoesNotCountAsADeliveryTowardsMaxRetries() throws Exception {
        // Given: a message offered at most once, whose first write failed
        member("{long_polling_timeout: 5s, max_retries: 0}");
        assignWithRecords(0, 2);
        ConsumedBatch failed = consume(AckMode.NONE);
        failed.receipt().undelivered();
        onLoop(() -> null);

        // Then: it is offered again, as it never reached a client
        assertThat(consume(AckMode.NONE).first().offset()).isZero();
    }

    @Test
    void aMessageReturnedByAGoneClientAfterItWasOfferedToAnotherIsNotOfferedAThirdTime() throws Exception {
        // Given: a message delivered to a first client, not acknowledged within the ack timeout, offered to a second
        member("{long_polling_timeout: 5s, ack_timeout: 100ms}");
        assignWithRecords(0, 1);
        ConsumedBatch first = consume(AckMode.NONE);
        first.receipt().delivered();
        await().untilAsserted(() -> {
            Future<ConsumedBatch> again = onLoop(() -> member.consume(ConsumeRequest.of("g", "t", AckMode.NONE)));
            assertThat(again.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).first().offset()).isZero();
        });

        // When: the first client's stream closes and returns what it did not acknowledge
        first.receipt().returned(first.messages());
        onLoop(() -> null);

        // Then: the second client still holds it; nothing is due
        Future<ConsumedBatch> third = onLoop(() -> member.consume(new ConsumeRequest("g", "t", AckMode.NONE, -1, -1, null, 1,
                null)));
        onLoop(() -> null);
        assertThat(third.isComplete()).isFalse();
    }

    @Test
    void aMoveBackForgetsTheCommitPointLastSentSoARevocationCannotCommitAheadOfIt() throws Exception {
        // Given: offset 2 committed (sent) for P0
        member("{long_polling_timeout: 5s}");
        assignWithRecords(0, 3);
        for (int i = 0; i < 2; i++) {
            ConsumedBatch batch = consume(AckMode.NONE);
            onLoop(() -> {
                member.ack("t", 0, batch.first().offset());
                return null;
            });
        }
        assertThat(commitNow().offset()).isEqualTo(2);
        assertThat(member.lastSent(List.of(P0))).containsKey(P0);

        // When: a client moves the group back to 0
        onLoop(() -> member.setOffsets("t", List.of(new OffsetSetting(0, 0, null))));

        // Then: a revocation the event loop cannot answer has nothing ahead of 0 to commit
        assertThat(member.lastSent(List.of(P0))).isEmpty();
    }

    @Test
    void aRevocationAfterTheMemberClosedCommitsWhatTheCloseWould() throws Exception {
        // Given: an acknowledged message, then the member closes while a rebalance revokes the partition
        member("{long_polling_timeout: 5s}");
        assignWithRecords(0, 2);
        ConsumedBatch batch = consume(AckMode.NONE);
        onLoop(() -> {
            member.ack("t", 0, batch.first().offset());
            return member.close(Duration.ofSeconds(1), true);
        });

        // When / Then
        Map<TopicPartition, OffsetAndMetadata> points = member.revoked(List.of(P0)).get(10, TimeUnit.SECONDS);
        assertThat(points).containsEntry(P0, new OffsetAndMetadata(1, ""));
        Future<Void> move = onLoop(() -> member.setOffsets("t", List.of(new OffsetSetting(0, 0, null))));
        assertThat(GatewayException.from(move.cause()).code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    }
}
