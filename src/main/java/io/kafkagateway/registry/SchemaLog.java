package io.kafkagateway.registry;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the registry's topic from its beginning, for ever, on a thread of its own, and applies each record to the
 * {@link SchemaState} on the registry's event loop in log order. {@link #applied(long)} completes once everything
 * before an offset has been applied: how the registry knows it has read to the end, and that its own write landed.
 */
final class SchemaLog {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Waiters at once (every write waits for its record, and each is one at a time): more is a bug. */
    private static final int MAX_WAITERS = 1024;

    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final SchemaState state;
    private final Context context;
    private final Thread thread;
    private final TreeMap<Long, List<Promise<Void>>> waiters = new TreeMap<>();
    private volatile boolean closing;
    private long next;
    private int waiting;

    SchemaLog(Consumer<byte[], byte[]> consumer, TopicPartition partition, SchemaState state, Context context) {
        this.consumer = consumer;
        this.partition = partition;
        this.state = state;
        this.context = context;
        this.thread = new Thread(this::run, "kgw-schema-log-" + partition.topic());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** On the event loop: completes once every record before {@code offset} is applied. */
    Future<Void> applied(long offset) {
        if (offset <= next) {
            return Future.succeededFuture();
        }
        if (waiting >= MAX_WAITERS) {
            return Future.failedFuture(RegistryErrors.storeError("too many registry writes wait for the schemas topic"));
        }
        Promise<Void> promise = Promise.promise();
        waiters.computeIfAbsent(offset, o -> new ArrayList<>()).add(promise);
        waiting++;
        return promise.future();
    }

    /** The offset after the last record applied. */
    long position() {
        return next;
    }

    void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (!closing) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                long position = consumer.position(partition);
                List<ConsumerRecord<byte[], byte[]>> batch = records.records(partition);
                context.runOnContext(v -> apply(batch, position));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.atError().addKeyValue("topic", partition.topic()).setCause(e).log("schema registry topic reader stopped");
                context.runOnContext(v -> failAll(e));
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(List<ConsumerRecord<byte[], byte[]>> batch, long position) {
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            if (record.key() == null) {
                continue;
            }
            try {
                SchemaDocs.apply(state, record.key(), record.value());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.atWarn().addKeyValue("topic", partition.topic()).addKeyValue("offset", record.offset())
                        .addKeyValue("key", new String(record.key(), StandardCharsets.UTF_8))
                        .addKeyValue("error", e.toString()).log("schemas topic record skipped: not a registry document");
            }
        }
        next = Math.max(next, position);
        Map<Long, List<Promise<Void>>> due = waiters.headMap(next, true);
        due.values().forEach(list -> {
            waiting -= list.size();
            list.forEach(Promise::tryComplete);
        });
        due.clear();
    }

    private void failAll(Throwable cause) {
        waiters.values().forEach(list -> list.forEach(p -> p.tryFail(RegistryErrors.storeError(
                "the schemas topic cannot be read: " + cause.getMessage()))));
        waiters.clear();
        waiting = 0;
    }
}
