package io.kafkagateway.consumer;

import io.kafkagateway.config.InitialOffset;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs one group member's Java {@code KafkaConsumer} on its own thread: polls, and carries out commands from the event
 * loop (subscribe, seek, commit, close) between polls. Rebalances are handled here, on the poll thread, as Kafka
 * requires: committed offsets are read for assigned partitions, and revoked partitions are committed synchronously
 * with what the event loop says was acknowledged.
 *
 * <p>The epoch of each partition (changed by every seek the event loop asks for) is attached to every fetch, so that
 * records of an old position can be told apart; partitions assigned but not yet set up stay paused
 * ({@link PartitionSetUp}).
 */
final class ConsumerDriver implements GroupDriver, ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerDriver.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * The poll while some partition is paused: nothing arrives for it, so a long poll would only delay resuming it once
     * the event loop has handed out half of what it holds (with 100 ms, a busy partition moved 32k messages a second).
     */
    private static final Duration PAUSED_POLL = Duration.ofMillis(5);
    private static final int MAX_COMMANDS = 10_000;

    private final String group;
    private final Consumer<byte[], byte[]> consumer;
    private final Events events;
    private final FlowControl flow;
    private final Duration retryBackoff;
    private final Duration revokeWait;
    private final PartitionSetUp partitions;
    private final BlockingQueue<java.util.function.Consumer<Consumer<byte[], byte[]>>> commands = new ArrayBlockingQueue<>(MAX_COMMANDS);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Map<TopicPartition, OffsetAndMetadata> finalCommit = Map.of();
    private volatile Duration closeTimeout = Duration.ofSeconds(10);
    private volatile boolean leaveOnClose = true;
    private volatile boolean exited;
    private boolean subscribed;

    /**
     * @param revokeWait   how long a revocation waits for the event loop's commit points before committing the last
     *                     ones it sent instead
     * @param epochCounter where partition epochs come from, shared with the event loop (which takes new ones for seeks)
     */
    ConsumerDriver(String cluster, String group, Consumer<byte[], byte[]> consumer, Events events,
                   Function<String, InitialOffset> initialOffset, Duration retryBackoff, Duration revokeWait,
                   FlowControl flow, AtomicLong epochCounter) {
        this.flow = flow;
        this.group = group;
        this.consumer = consumer;
        this.events = events;
        this.retryBackoff = retryBackoff;
        this.revokeWait = revokeWait;
        this.partitions = new PartitionSetUp(group, initialOffset, retryBackoff, epochCounter, events::assigned);
        this.thread = new Thread(this::run, "kgw-consumer-" + cluster + "-" + group);
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public void subscribe(Set<String> topics) {
        Set<String> copy = Set.copyOf(topics);
        command(c -> {
            if (copy.isEmpty()) {
                c.unsubscribe();
                subscribed = false;
            } else {
                c.subscribe(copy, this);
                subscribed = true;
            }
        });
    }

    @Override
    public boolean seek(TopicPartition partition, long offset, long currentEpoch, long newEpoch) {
        return command(c -> {
            if (c.assignment().contains(partition) && partitions.epoch(partition) == currentEpoch) {
                c.seek(partition, offset);
                partitions.moved(partition, newEpoch);
            }
        });
    }

    @Override
    public CompletableFuture<Set<TopicPartition>> commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        CompletableFuture<Set<TopicPartition>> done = new CompletableFuture<>();
        if (offsets.isEmpty()) {
            done.complete(Set.of());
            return done;
        }
        Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
        boolean queued = command(c -> {
            // A commit queued before a rebalance must not reach Kafka after the revocation's commit: the new owner's
            // offsets would move back. Only partitions still owned now are committed.
            Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(copy);
            owned.keySet().retainAll(c.assignment());
            if (owned.isEmpty()) {
                done.complete(Set.of());
                return;
            }
            try {
                c.commitAsync(owned, (committed, failure) -> {
                    if (failure != null) {
                        LOG.atWarn().addKeyValue("group", group).addKeyValue("error", failure.toString())
                                .log("offset commit failed; the next periodic commit sends it again");
                        done.complete(Set.of());
                    } else {
                        done.complete(Set.copyOf(committed.keySet()));
                    }
                });
            } catch (RuntimeException e) {
                done.complete(Set.of());
                throw e;
            }
        });
        if (!queued) {
            done.complete(Set.of());
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> commitAndWait(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean queued = command(c -> {
            try {
                c.commitSync(copy);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        if (!queued) {
            done.completeExceptionally(new IllegalStateException("the group's command queue is full"));
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> close(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout, boolean leave) {
        finalCommit = Map.copyOf(offsets);
        closeTimeout = timeout;
        leaveOnClose = leave;
        closing = true;
        consumer.wakeup();
        return closed;
    }

    /** Queues a command for the poll thread; false when it will not run (the queue is full, or the thread ended). */
    private boolean command(java.util.function.Consumer<Consumer<byte[], byte[]>> command) {
        if (exited) {
            return false;
        }
        if (!commands.offer(command)) {
            LOG.atError().addKeyValue("group", group).log("consumer command queue full; command dropped");
            return false;
        }
        // Queued while the thread ended: take it back unless the last drain ran it.
        return !exited || !commands.remove(command);
    }

    private void run() {
        Throwable failure = null;
        try {
            while (!closing) {
                runCommands();
                if (!subscribed) {
                    java.util.function.Consumer<Consumer<byte[], byte[]>> next = commands.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (next != null) {
                        runCommand(next);
                    }
                    continue;
                }
                partitions.retry(consumer);
                pollOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (FencedInstanceIdException e) {
            LOG.atError().addKeyValue("group", group).addKeyValue("error", e.getMessage())
                    .log("another consumer joined the group with this gateway's instance id; two gateways share"
                            + " cluster.instance_id? This member stops");
            failure = e;
        } catch (RuntimeException | Error e) {
            LOG.atError().addKeyValue("group", group).setCause(e).log("the group's consumer thread failed; the member stops");
            failure = e;
        } finally {
            shutDown();
            if (failure != null && !closing) {
                events.failed(failure);
            }
        }
    }

    private void pollOnce() throws InterruptedException {
        try {
            boolean paused = applyBackpressure();
            ConsumerRecords<byte[], byte[]> records = consumer.poll(paused ? PAUSED_POLL : POLL);
            if (!records.isEmpty()) {
                Map<TopicPartition, Long> fetchEpochs = new HashMap<>();
                for (TopicPartition partition : records.partitions()) {
                    flow.handedOver(partition, FlowControl.size(records.records(partition)));
                    fetchEpochs.put(partition, partitions.epoch(partition));
                }
                events.records(new Fetched(records, fetchEpochs));
            }
        } catch (WakeupException e) {
            // close() or a prompt command; the loop decides
        } catch (FencedInstanceIdException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString()).log("poll failed; retrying");
            Thread.sleep(retryBackoff.toMillis());
        }
    }

    /**
     * Stops fetching partitions whose messages the gateway still holds, and fetches drained ones again; partitions not
     * yet set up stay paused. True when some partition stays paused.
     */
    private boolean applyBackpressure() {
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition partition : consumer.assignment()) {
            if (paused.contains(partition)) {
                if (!partitions.waiting(partition) && flow.drained(partition)) {
                    resume.add(partition);
                }
            } else if (partitions.waiting(partition) || flow.full(partition)) {
                pause.add(partition);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
        return paused.size() + pause.size() > resume.size();
    }

    private void runCommands() {
        java.util.function.Consumer<Consumer<byte[], byte[]>> command;
        while ((command = commands.poll()) != null) {
            try {
                runCommand(command);
            } catch (FencedInstanceIdException e) {
                if (!exited) {
                    throw e;
                }
            }
        }
    }

    private void runCommand(java.util.function.Consumer<Consumer<byte[], byte[]>> command) {
        try {
            command.accept(consumer);
        } catch (WakeupException e) {
            // close() asked for attention; the loop checks
        } catch (FencedInstanceIdException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString()).log("consumer command failed");
        }
    }

    private void shutDown() {
        try {
            runCommands();
            if (!finalCommit.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(finalCommit);
                owned.keySet().retainAll(consumer.assignment());
                try {
                    consumer.commitSync(owned, closeTimeout);
                } catch (WakeupException pendingFromClose) {
                    // close() woke the consumer while it was not polling; the wakeup is spent, so commit again
                    consumer.commitSync(owned, closeTimeout);
                }
            }
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString()).log("final offset commit failed");
        }
        try {
            consumer.close(CloseOptions.timeout(closeTimeout).withGroupMembershipOperation(leaveOnClose
                    ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                    : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString()).log("consumer did not close cleanly");
        } finally {
            // Commands queued since run against the closed consumer, which refuses them: their futures complete.
            exited = true;
            runCommands();
            closed.complete(null);
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        if (!assigned.isEmpty()) {
            partitions.assigned(consumer, assigned);
        }
        events.settled();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        partitions.forget(revoked);
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = events.revoked(revoked).get(revokeWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            offsets = events.lastSent(revoked);
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString())
                    .log("the event loop did not answer the revocation in time; committing the last commit points sent");
        }
        try {
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets);
            }
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString())
                    .log("offsets of revoked partitions not committed; their unacknowledged messages will be offered again");
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        partitions.forget(lost);
        events.lost(lost);
    }
}
