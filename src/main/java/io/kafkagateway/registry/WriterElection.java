package io.kafkagateway.registry;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Elects the registry's one writer through Kafka: every gateway's registry joins one consumer group subscribed to the
 * single-partition schemas topic, and the member Kafka's coordinator assigns that partition is the writer. It reads
 * nothing through the group (its partition stays paused); it only holds the assignment. Losing it, the member first
 * stops writing (the rebalance waits for that), so that two writers never allocate ids at once in a rebalance.
 */
final class WriterElection implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(WriterElection.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Told on the election's thread; each answers once the registry has taken the change in. */
    interface Roles {
        CompletableFuture<Void> elected();

        CompletableFuture<Void> deposed();
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Roles roles;
    private final Thread thread;
    private volatile boolean closing;

    WriterElection(Consumer<byte[], byte[]> consumer, String topic, Roles roles) {
        this.consumer = consumer;
        this.topic = topic;
        this.roles = roles;
        this.thread = new Thread(this::run, "kgw-schema-election-" + topic);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Leaves the group, handing the writer's role to another gateway at once. */
    void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), this);
            while (!closing) {
                consumer.poll(POLL);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("topic", topic).setCause(e).log("schema registry writer election stopped");
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5)); // revokes first: the registry stops writing
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("error", e.toString()).log("schema registry election did not close cleanly");
            }
            await(roles.deposed());
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        consumer.pause(partitions);
        if (owns(partitions)) {
            LOG.atInfo().addKeyValue("topic", topic).log("this gateway is the schema registry's writer");
            await(roles.elected());
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (owns(partitions)) {
            await(roles.deposed());
            LOG.atInfo().addKeyValue("topic", topic).log("this gateway is no longer the schema registry's writer");
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    private boolean owns(Collection<TopicPartition> partitions) {
        return partitions.stream().anyMatch(tp -> tp.topic().equals(topic) && tp.partition() == 0);
    }

    private static void await(CompletableFuture<Void> taken) {
        try {
            taken.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.atWarn().addKeyValue("error", e.toString()).log("the registry did not take in a writer change in time");
        }
    }

}
