package io.kafkagateway.consumer;

import io.kafkagateway.config.InitialOffset;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one group member's Java {@code KafkaConsumer} on its own thread: polls, and carries out commands from the event
 * loop (subscribe, pause, resume, seek, commit, close) between polls. Rebalances are handled here, on the poll thread,
 * as Kafka requires: committed offsets are read for assigned partitions, and revoked partitions are committed
 * synchronously with what the event loop says was acknowledged.
 */
final class ConsumerDriver implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerDriver.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * The poll while some partition is paused: nothing arrives for it, so a long poll would only delay resuming it once
     * the event loop has handed out half of what it holds (with 100 ms, a busy partition moved 32k messages a second).
     */
    private static final Duration PAUSED_POLL = Duration.ofMillis(5);
    /** How long a revocation waits for the event loop's commit points before giving up on committing them. */
    private static final long REVOKE_WAIT_SECONDS = 10;
    private static final int MAX_COMMANDS = 10_000;

    /** A partition this member now owns: where the group committed (null if never) and where fetching starts. */
    record Assigned(TopicPartition partition, OffsetAndMetadata committed, long position) {
    }

    /** What the driver reports; called on the poll thread, so implementations hand over to their event loop. */
    interface Events {
        void assigned(List<Assigned> partitions);

        /** Stop using {@code partitions}; the returned commit points are committed before they move. */
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> revoked(Collection<TopicPartition> partitions);

        void lost(Collection<TopicPartition> partitions);

        void records(ConsumerRecords<byte[], byte[]> records);
    }

    private final String group;
    private final Consumer<byte[], byte[]> consumer;
    private final Events events;
    private final Function<String, InitialOffset> initialOffset;
    private final FlowControl flow;
    private final Duration retryBackoff;
    private final BlockingQueue<java.util.function.Consumer<Consumer<byte[], byte[]>>> commands = new ArrayBlockingQueue<>(MAX_COMMANDS);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Map<TopicPartition, OffsetAndMetadata> finalCommit = Map.of();
    private volatile Duration closeTimeout = Duration.ofSeconds(10);
    private boolean subscribed;

    ConsumerDriver(String cluster, String group, Consumer<byte[], byte[]> consumer, Events events,
                   Function<String, InitialOffset> initialOffset, Duration retryBackoff, FlowControl flow) {
        this.flow = flow;
        this.group = group;
        this.consumer = consumer;
        this.events = events;
        this.initialOffset = initialOffset;
        this.retryBackoff = retryBackoff;
        this.thread = new Thread(this::run, "kgw-consumer-" + cluster + "-" + group);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void subscribe(Set<String> topics) {
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

    void seek(TopicPartition partition, long offset) {
        command(c -> {
            if (c.assignment().contains(partition)) {
                c.seek(partition, offset);
            }
        });
    }

    /** Commits without waiting; a failure is logged and the next commit carries the same or newer offsets. */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
        command(c -> c.commitAsync(copy, (committed, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("group", group).addKeyValue("error", failure.toString()).log("offset commit failed");
            }
        }));
    }

    /** Commits and waits for Kafka's answer (a client moving the group's offsets waits for it too). */
    CompletableFuture<Void> commitAndWait(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
        CompletableFuture<Void> done = new CompletableFuture<>();
        command(c -> {
            try {
                c.commitSync(copy);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** Commits {@code offsets} and leaves the group, within {@code timeout}; completes once the consumer is closed. */
    CompletableFuture<Void> close(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        finalCommit = Map.copyOf(offsets);
        closeTimeout = timeout;
        closing = true;
        consumer.wakeup();
        return closed;
    }

    private void command(java.util.function.Consumer<Consumer<byte[], byte[]>> command) {
        if (!commands.offer(command)) {
            LOG.atError().addKeyValue("group", group).log("consumer command queue full; command dropped");
        }
    }

    private void run() {
        try {
            while (!closing) {
                runCommands();
                if (!subscribed) {
                    java.util.function.Consumer<Consumer<byte[], byte[]>> next = commands.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (next != null) {
                        next.accept(consumer);
                    }
                    continue;
                }
                pollOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutDown();
        }
    }

    private void pollOnce() throws InterruptedException {
        try {
            boolean paused = applyBackpressure();
            ConsumerRecords<byte[], byte[]> records = consumer.poll(paused ? PAUSED_POLL : POLL);
            if (!records.isEmpty()) {
                for (TopicPartition partition : records.partitions()) {
                    flow.handedOver(partition, FlowControl.size(records.records(partition)));
                }
                events.records(records);
            }
        } catch (WakeupException e) {
            // close() or a prompt command; the loop decides
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString()).log("poll failed; retrying");
            Thread.sleep(retryBackoff.toMillis());
        }
    }

    /**
     * Stops fetching partitions whose messages the gateway still holds, and fetches drained ones again; true when some
     * partition stays paused.
     */
    private boolean applyBackpressure() {
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition partition : consumer.assignment()) {
            if (paused.contains(partition)) {
                if (flow.drained(partition)) {
                    resume.add(partition);
                }
            } else if (flow.full(partition)) {
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
                command.accept(consumer);
            } catch (WakeupException e) {
                // close() asked for attention; the loop checks
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString()).log("consumer command failed");
            }
        }
    }

    private void shutDown() {
        try {
            runCommands();
            if (!finalCommit.isEmpty()) {
                try {
                    consumer.commitSync(finalCommit, closeTimeout);
                } catch (WakeupException pendingFromClose) {
                    // close() woke the consumer while it was not polling; the wakeup is spent, so commit again
                    consumer.commitSync(finalCommit, closeTimeout);
                }
            }
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString()).log("final offset commit failed");
        }
        try {
            consumer.close(CloseOptions.timeout(closeTimeout));
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString()).log("consumer did not close cleanly");
        } finally {
            closed.complete(null);
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        List<Assigned> assigned = new ArrayList<>(partitions.size());
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                if (initialOffset.apply(partition.topic()) == InitialOffset.EARLIEST) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seekToEnd(List.of(partition));
                }
                offset = new OffsetAndMetadata(consumer.position(partition), "");
                starts.put(partition, offset);
            }
            assigned.add(new Assigned(partition, offset, consumer.position(partition)));
        }
        pinStart(starts);
        events.assigned(assigned);
    }

    /**
     * Commits where a group without commits starts, before handing out anything: a crash before the first periodic
     * commit must not move the start to wherever "latest" is by the time the group comes back.
     */
    private void pinStart(Map<TopicPartition, OffsetAndMetadata> starts) {
        if (starts.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(starts);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString())
                    .log("start offset of a new group not committed; the periodic commit will record it");
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = events.revoked(partitions).get(REVOKE_WAIT_SECONDS, TimeUnit.SECONDS);
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("error", e.toString())
                    .log("offsets of revoked partitions not committed; their unacknowledged messages will be offered again");
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        events.lost(partitions);
    }
}
