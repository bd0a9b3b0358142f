package io.kafkagateway.instances;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one consumer instance's Java {@code KafkaConsumer} on a thread of its own: polls while the instance has room
 * ({@code full} pauses every partition), and carries out the instance's calls (subscribe, seek, commit, ...) between
 * polls, waking a poll in progress so that they run at once. Each partition has an epoch, changed by every seek and
 * revocation on this thread, and attached to what each poll returns, so that the instance can drop records fetched
 * from a position that no longer holds.
 */
final class InstancePoller implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(InstancePoller.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int MAX_CALLS = 64;

    /** Told on the poll thread; hands over to the instance's event loop itself. */
    interface Events {
        void records(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> epochs);

        /** Partitions taken away (revoked or lost); their epochs have moved on. */
        void revoked(Collection<TopicPartition> partitions);

        /** The group gave this instance partitions (possibly none). */
        void assigned(Collection<TopicPartition> partitions);

        /** The thread stopped on an error it cannot get past; the instance is unusable. */
        void failed(Throwable failure);
    }

    private final String label;
    private final Consumer<byte[], byte[]> consumer;
    private final Events events;
    private final BooleanSupplier full;
    /** What to commit for revoked partitions before they go (null: nothing, no auto-commit). */
    private final Function<Collection<TopicPartition>, Map<TopicPartition, OffsetAndMetadata>> revocationCommit;
    private final BlockingQueue<Runnable> calls = new ArrayBlockingQueue<>(MAX_CALLS);
    private final Map<TopicPartition, Long> epochs = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closing;
    /** Whether the last poll paused every partition (the instance was full). */
    private volatile boolean paused;
    /** Set before the thread's final look at the queue: a call queued after it is failed by its caller. */
    private volatile boolean drained;
    private volatile Supplier<Map<TopicPartition, OffsetAndMetadata>> finalCommit = Map::of;

    InstancePoller(String label, Consumer<byte[], byte[]> consumer, Events events, BooleanSupplier full,
                   Function<Collection<TopicPartition>, Map<TopicPartition, OffsetAndMetadata>> revocationCommit) {
        this.label = label;
        this.consumer = consumer;
        this.events = events;
        this.full = full;
        this.revocationCommit = revocationCommit;
        this.thread = new Thread(this::run, "kgw-instance-" + label);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The rebalance listener subscriptions pass to the consumer. */
    ConsumerRebalanceListener listener() {
        return this;
    }

    /** The current epoch of {@code partition}; records polled under an older one are stale. */
    long epoch(TopicPartition partition) {
        return epochs.getOrDefault(partition, 0L);
    }

    /** Moves {@code partition}'s epoch on; on the poll thread (a seek), before the position changes. */
    void newEpoch(TopicPartition partition) {
        epochs.merge(partition, 1L, Long::sum);
    }

    /** The instance has room again: a poll waiting with every partition paused is woken to resume them now. */
    void roomAgain() {
        if (paused) {
            paused = false;
            consumer.wakeup();
        }
    }

    /**
     * Runs {@code work} on the poll thread with the consumer. Fails with {@link IllegalStateException} when the
     * instance is closing or too many calls wait already.
     */
    <T> CompletableFuture<T> call(Function<Consumer<byte[], byte[]>, T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable call = () -> {
            try {
                result.complete(outlastingWakeups(() -> work.apply(consumer)));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        if (closing || closed.isDone()) {
            result.completeExceptionally(closingFailure());
        } else if (!calls.offer(call)) {
            result.completeExceptionally(new IllegalStateException(MAX_CALLS + " calls wait for the instance already"));
        } else if (drained && calls.remove(call)) {
            result.completeExceptionally(closingFailure()); // queued after the thread's last look at the queue
        } else {
            consumer.wakeup();
        }
        return result;
    }

    /**
     * Runs {@code work}, again when a wake-up meant for the poll (a call or close() queued meanwhile) interrupts it:
     * each wake-up interrupts once, and at most {@link #MAX_CALLS} calls and a close can ask for one.
     */
    private static <T> T outlastingWakeups(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (WakeupException woken) {
                if (attempt > 2 * MAX_CALLS) {
                    throw woken;
                }
            }
        }
    }

    private static IllegalStateException closingFailure() {
        return new IllegalStateException("the consumer instance is closing");
    }

    /**
     * Partitions the instance gives up by itself (manual assignment changed or dropped), on the poll thread before
     * the consumer lets them go: committed and dropped as a revocation by the group would be.
     */
    void release(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    /**
     * Stops the thread: commits {@code commit} (taken once the calls queued before have run), then closes the consumer,
     * leaving the group. Completes once closed.
     */
    CompletableFuture<Void> close(Supplier<Map<TopicPartition, OffsetAndMetadata>> commit, Duration timeout) {
        finalCommit = commit;
        closing = true;
        consumer.wakeup();
        return closed;
    }

    private void run() {
        try {
            while (!closing) {
                runCalls();
                if (closing) {
                    break;
                }
                if (consumer.subscription().isEmpty() && consumer.assignment().isEmpty()) {
                    Runnable next = calls.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (next != null) {
                        next.run();
                    }
                    continue;
                }
                pollOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.atError().addKeyValue("instance", label).setCause(e).log("consumer instance thread failed");
            events.failed(e);
        } finally {
            shutDown();
        }
    }

    private void pollOnce() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (full.getAsBoolean()) {
            consumer.pause(assigned);
            paused = true;
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
            paused = false;
        }
        try {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            if (!records.isEmpty()) {
                Map<TopicPartition, Long> at = new HashMap<>();
                for (TopicPartition partition : records.partitions()) {
                    at.put(partition, epoch(partition));
                }
                events.records(records, at);
            }
        } catch (WakeupException e) {
            // a call or close() asked for the thread; the loop runs it
        }
    }

    private void runCalls() {
        Runnable call;
        while ((call = calls.poll()) != null) {
            call.run();
        }
    }

    private void shutDown() {
        runCalls();
        try {
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>(finalCommit.get());
            commit.keySet().retainAll(consumer.assignment());
            if (!commit.isEmpty()) {
                outlastingWakeups(() -> {
                    consumer.commitSync(commit, POLL.multipliedBy(50));
                    return null;
                });
            }
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("instance", label).addKeyValue("error", e.toString()).log("final offset commit failed");
        }
        try {
            consumer.close(CloseOptions.timeout(POLL.multipliedBy(50))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("instance", label).addKeyValue("error", e.toString()).log("consumer instance did not close cleanly");
        } finally {
            drained = true;
            Runnable late;
            while ((late = calls.poll()) != null) {
                late.run(); // against the closed consumer, which refuses: the callers get their failure
            }
            closed.complete(null);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        // Epochs first: from here the event loop returns nothing more of these partitions, so the commit below
        // covers everything returned of them.
        partitions.forEach(this::newEpoch);
        if (revocationCommit != null) {
            Map<TopicPartition, OffsetAndMetadata> commit = revocationCommit.apply(partitions);
            if (!commit.isEmpty()) {
                try {
                    outlastingWakeups(() -> {
                        consumer.commitSync(commit);
                        return null;
                    });
                } catch (RuntimeException e) {
                    LOG.atWarn().addKeyValue("instance", label).addKeyValue("error", e.toString())
                            .log("commit of revoked partitions failed; what was returned since the last commit comes again");
                }
            }
        }
        events.revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(this::newEpoch);
        events.revoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        events.assigned(partitions);
    }

}
