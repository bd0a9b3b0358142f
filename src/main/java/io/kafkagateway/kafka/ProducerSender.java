package io.kafkagateway.kafka;

import io.kafkagateway.config.GoDuration;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the cluster's shared Java producer from one dedicated thread, without ever letting it block. The producer
 * runs with {@code max.block.ms=0}: when it has no metadata for a topic (first use, or every broker unreachable) the
 * records for that topic wait here, in order, and are retried on a timer until {@code producer.timeout}; records for
 * other topics keep flowing. A full producer buffer fails at once instead of stalling the thread.
 */
final class ProducerSender {

    private static final long FIRST_RETRY_MILLIS = 5;
    private static final long MAX_RETRY_MILLIS = 200;

    private final Producer<byte[], byte[]> producer;
    private final Duration metadataTimeout;
    private final ScheduledExecutorService thread;
    /** Records whose topic has no metadata yet, per topic, oldest first. Touched only on {@link #thread}. */
    private final Map<String, Deque<Pending>> waiting = new HashMap<>();

    private record Pending(ProducerRecord<byte[], byte[]> record, Context context, Promise<RecordMetadata> promise,
                           long deadlineNanos) {

        void complete(RecordMetadata metadata, Exception failure) {
            context.runOnContext(v -> {
                if (failure == null) {
                    promise.tryComplete(metadata);
                } else {
                    promise.tryFail(failure);
                }
            });
        }
    }

    ProducerSender(String cluster, Producer<byte[], byte[]> producer, Duration metadataTimeout) {
        this.producer = producer;
        this.metadataTimeout = metadataTimeout;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "kgw-producer-" + cluster);
            t.setDaemon(true);
            return t;
        });
    }

    /** Sends {@code record}; the future completes on {@code context} once Kafka has acknowledged or refused it. */
    Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Context context) {
        Promise<RecordMetadata> promise = Promise.promise();
        Pending pending = new Pending(record, context, promise, System.nanoTime() + metadataTimeout.toNanos());
        thread.execute(() -> enqueue(pending));
        return promise.future();
    }

    private void enqueue(Pending pending) {
        String topic = pending.record().topic();
        Deque<Pending> queue = waiting.get(topic);
        if (queue != null) {
            queue.addLast(pending);
        } else if (metadataReady(pending)) {
            send(pending);
        } else if (!pending.promise().future().isComplete()) {
            queue = new ArrayDeque<>();
            queue.addLast(pending);
            waiting.put(topic, queue);
            retryLater(topic, FIRST_RETRY_MILLIS);
        }
    }

    private void retry(String topic, long delayMillis) {
        Deque<Pending> queue = waiting.get(topic);
        if (queue == null) {
            return;
        }
        long now = System.nanoTime();
        while (!queue.isEmpty() && queue.peekFirst().deadlineNanos() - now <= 0) {
            queue.pollFirst().complete(null, GatewayException.unavailable("Kafka did not answer in time: no metadata for"
                    + " topic " + topic + " within " + GoDuration.format(metadataTimeout) + " (producer.timeout)"));
        }
        if (queue.isEmpty()) {
            waiting.remove(topic);
        } else if (metadataReady(queue.peekFirst())) {
            waiting.remove(topic);
            queue.forEach(this::send);
        } else {
            retryLater(topic, Math.min(delayMillis * 2, MAX_RETRY_MILLIS));
        }
    }

    private void retryLater(String topic, long delayMillis) {
        thread.schedule(() -> retry(topic, delayMillis), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** With {@code max.block.ms=0} this asks for the topic's metadata and answers at once whether it is there. */
    private boolean metadataReady(Pending pending) {
        try {
            producer.partitionsFor(pending.record().topic());
            return true;
        } catch (TimeoutException notYet) {
            return false;
        } catch (RuntimeException e) {
            pending.complete(null, e);
            return false;
        }
    }

    private void send(Pending pending) {
        try {
            producer.send(pending.record(), pending::complete);
        } catch (RuntimeException e) {
            pending.complete(null, e);
        }
    }

    /**
     * Fails records still waiting for metadata, then closes the producer, which sends what it has buffered for up to
     * {@code timeout}. Runs on the sender thread, after everything already handed to it.
     */
    Future<Void> close(Duration timeout) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        thread.execute(() -> {
            waiting.values().forEach(queue -> queue.forEach(p -> p.complete(null,
                    GatewayException.unavailable("the gateway stopped before Kafka had metadata for topic " + p.record().topic()))));
            waiting.clear();
            try {
                producer.close(timeout);
                closed.complete(null);
            } catch (RuntimeException e) {
                closed.completeExceptionally(e);
            } finally {
                thread.shutdown();
            }
        });
        return Future.fromCompletionStage(closed);
    }
}
