package io.kafkagateway.consumer;

import io.kafkagateway.config.InitialOffset;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poll thread's own duties, against Kafka's {@link MockConsumer} driven from the poll thread (rebalances run as
 * poll tasks, as a real consumer runs its callbacks inside poll): set-up retried when the committed offsets cannot be
 * read, commits never sent for partitions revoked meanwhile, and a revocation the event loop does not answer.
 */
class ConsumerDriverTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    /** A consumer whose committed offsets cannot be read the first {@code failures} times; it keeps every commit. */
    static final class FlakyConsumer extends MockConsumer<byte[], byte[]> {
        final AtomicInteger failures = new AtomicInteger();
        final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();

        FlakyConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                                             org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
            commits.add(Map.copyOf(offsets));
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
            if (failures.getAndDecrement() > 0) {
                throw new TimeoutException("test: the coordinator did not answer");
            }
            return super.committed(partitions);
        }
    }

    /** What the driver reports, as the event loop would receive it. */
    static final class Recorded implements GroupDriver.Events {
        final List<GroupDriver.Assigned> assigned = new CopyOnWriteArrayList<>();
        final List<TopicPartition> revoked = new CopyOnWriteArrayList<>();
        final Map<TopicPartition, OffsetAndMetadata> lastSent = new ConcurrentHashMap<>();
        volatile CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> revocationAnswer;

        @Override
        public void assigned(List<GroupDriver.Assigned> partitions) {
            assigned.addAll(partitions);
        }

        @Override
        public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> revoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
            return revocationAnswer != null ? revocationAnswer : CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> lastSent(Collection<TopicPartition> partitions) {
            return Map.copyOf(lastSent);
        }

        @Override
        public void lost(Collection<TopicPartition> partitions) {
        }

        final List<GroupDriver.Fetched> fetched = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        @Override
        public void records(GroupDriver.Fetched fetched) {
            this.fetched.add(fetched);
        }

        @Override
        public void failed(Throwable failure) {
            failures.add(failure);
        }
    }

    private final FlakyConsumer consumer = new FlakyConsumer();
    private final Recorded events = new Recorded();
    private ConsumerDriver driver;

    private ConsumerDriver start(Duration revokeWait) {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        FlowControl flow = new FlowControl(1 << 20, new MemoryBudget(Long.MAX_VALUE, new ConsumerStats()));
        driver = new ConsumerDriver("c", "g", consumer, events, topic -> InitialOffset.EARLIEST, Duration.ofMillis(20),
                revokeWait, flow, new AtomicLong());
        driver.start();
        driver.subscribe(Set.of("t"));
        await().until(() -> consumer.subscription().contains("t"));
        return driver;
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.close(Map.of(), Duration.ofSeconds(1), true).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPartitionWhoseCommittedOffsetCannotBeReadStaysPausedAndIsSetUpOnceKafkaAnswers() {
        // Given: the first two reads of the committed offsets time out
        consumer.failures.set(2);
        start(Duration.ofSeconds(1));

        // When: the partition is assigned
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));

        // Then: it is reported once set up, and fetched from then on (not paused)
        await().atMost(Duration.ofSeconds(10)).until(() -> !events.assigned.isEmpty());
        assertThat(events.assigned).singleElement().satisfies(a -> {
            assertThat(a.partition()).isEqualTo(P0);
            assertThat(a.position()).isZero();
            assertThat(a.committedInKafka()).isTrue();
        });
        assertThat(consumer.failures.get()).isNegative();
        await().until(() -> !consumer.paused().contains(P0));
    }

    @Test
    void aCommitQueuedBeforeARevocationLeavesTheRevokedPartitionOut() throws Exception {
        // Given: two partitions, then a rebalance that takes P0 away, holding the poll thread inside it
        start(Duration.ofSeconds(1));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        await().until(() -> events.assigned.size() == 2);
        CountDownLatch commitQueued = new CountDownLatch(1);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P1));
            await().until(() -> commitQueued.getCount() == 0);
        });
        await().until(() -> events.revoked.contains(P0));

        // When: the event loop's periodic commit, computed before it heard of the revocation, is queued
        int before = consumer.commits.size();
        CompletableFuture<Set<TopicPartition>> committed = driver.commit(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(5)));
        commitQueued.countDown();

        // Then: only the partition still owned is committed; P0's new owner keeps its offset
        assertThat(committed.get(10, TimeUnit.SECONDS)).containsExactly(P1);
        assertThat(consumer.commits.subList(before, consumer.commits.size()))
                .containsExactly(Map.of(P1, new OffsetAndMetadata(5)));
    }

    @Test
    void aRevocationTheEventLoopDoesNotAnswerCommitsTheLastPointsSent() {
        // Given: an event loop that never answers the revocation, and its last sent commit point for P0
        start(Duration.ofMillis(200));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));
        await().until(() -> events.assigned.size() == 1);
        events.revocationAnswer = new CompletableFuture<>();
        events.lastSent.put(P0, new OffsetAndMetadata(7, "x"));

        // When
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));

        // Then: the revocation commits what was last sent instead of nothing
        await().until(() -> consumer.commits.contains(Map.of(P0, new OffsetAndMetadata(7, "x"))));
    }

    @Test
    void aSeekMeantForAnEarlierAssignmentOfThePartitionIsNotApplied() {
        // Given: P0 assigned, then lost and assigned again inside one poll, with a seek for the first assignment queued
        start(Duration.ofSeconds(1));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));
        await().until(() -> events.assigned.size() == 1);
        long first = events.assigned.get(0).epoch();
        CountDownLatch seekQueued = new CountDownLatch(1);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of());
            consumer.rebalance(List.of(P0));
            await().until(() -> seekQueued.getCount() == 0);
        });
        await().until(() -> events.assigned.size() == 2);
        assertThat(driver.seek(P0, 0, first, first + 1000)).isTrue();
        seekQueued.countDown();

        // When: records arrive
        consumer.schedulePollTask(() -> consumer.addRecord(new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 0, null, new byte[1])));

        // Then: they carry the epoch of the assignment that is current, so the event loop's state takes them
        await().until(() -> !events.fetched.isEmpty());
        assertThat(events.fetched.get(0).epochs().get(P0)).isEqualTo(events.assigned.get(1).epoch());
    }

    @Test
    void aMemberFencedByAnotherWithItsInstanceIdStopsAndSaysSo() {
        // Given
        start(Duration.ofSeconds(1));

        // When: Kafka fences this member
        consumer.setPollException(new org.apache.kafka.common.errors.FencedInstanceIdException("test: fenced"));

        // Then: the driver stops and reports it, instead of retrying forever
        await().until(() -> !events.failures.isEmpty());
        assertThat(events.failures.get(0)).isInstanceOf(org.apache.kafka.common.errors.FencedInstanceIdException.class);
        await().until(consumer::closed);
        driver = null;
    }
}
