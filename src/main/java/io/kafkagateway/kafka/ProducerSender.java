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
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Feeds the cluster's shared Java producer from one dedicated thread, without ever letting it block. The producer
 * runs with {@code max.block.ms=0}: when it has no metadata for a topic (first use, or every broker unreachable) the
 * records for that topic wait here, in order, and are retried on a timer until {@code producer.timeout}; records for
 * other topics keep flowing. A full producer buffer fails the record at once instead of stalling the thread.
 */
final class ProducerSender {

    private static final long FIRST_RETRY_MILLIS = 5;
    private static final long MAX_RETRY_MILLIS = 200;

    /** What became of a record: {@code accepted} once the producer holds it, {@code delivered} once Kafka has it. */
    record Sent(Future<Void> accepted, Future<RecordMetadata> delivered) {
    }

    private enum Metadata { READY, NOT_YET, FAILED }

    private final Producer<byte[], byte[]> producer;
    private final Duration metadataTimeout;
    private final ScheduledExecutorService thread;
    /** Records whose topic has no metadata yet, per topic, oldest first. Touched only on {@link #thread}. */
    private final Map<String, Deque<Pending>> waiting = new HashMap<>();
    /** Why Kafka last refused metadata; read right after {@link #metadata} answered FAILED. Sender thread only. */
    private RuntimeException lastMetadataFailure;

    /** Told what became of one record; called on the sender thread or the producer's I/O thread. */
    private interface Outcome {
        /** The producer holds the record. */
        void accepted();

        /** Kafka has the record ({@code failure} null) or it failed; may be called more than once, the first counts. */
        void completed(RecordMetadata metadata, Exception failure);
    }

    private record Pending(ProducerRecord<byte[], byte[]> record, Outcome outcome, long deadlineNanos) {

        void accept() {
            outcome.accepted();
        }

        void complete(RecordMetadata metadata, Exception failure) {
            outcome.completed(metadata, failure);
        }
    }

    /** One record on its own: both futures complete on the caller's context. */
    private record Single(Context context, Promise<Void> held, Promise<RecordMetadata> delivered) implements Outcome {

        @Override
        public void accepted() {
            context.runOnContext(v -> held.tryComplete());
        }

        @Override
        public void completed(RecordMetadata metadata, Exception failure) {
            context.runOnContext(v -> {
                if (failure == null) {
                    held.tryComplete();
                    delivered.tryComplete(metadata);
                } else {
                    held.tryFail(failure);
                    delivered.tryFail(failure);
                }
            });
        }
    }

    /**
     * Records sent together: each slot takes its record's first outcome (metadata or exception), and the last one
     * completes the batch with a single hand-off to the caller's context.
     */
    private static final class Batch {
        private final Context context;
        private final AtomicReferenceArray<Object> outcomes;
        private final AtomicInteger remaining;
        private final Promise<List<Object>> done = Promise.promise();

        Batch(Context context, int size) {
            this.context = context;
            this.outcomes = new AtomicReferenceArray<>(size);
            this.remaining = new AtomicInteger(size);
        }

        Outcome slot(int index) {
            return new Outcome() {
                @Override
                public void accepted() {
                }

                @Override
                public void completed(RecordMetadata metadata, Exception failure) {
                    Object outcome = failure == null ? metadata : failure;
                    if (outcomes.compareAndSet(index, null, outcome) && remaining.decrementAndGet() == 0) {
                        List<Object> all = new ArrayList<>(outcomes.length());
                        for (int i = 0; i < outcomes.length(); i++) {
                            all.add(outcomes.get(i));
                        }
                        context.runOnContext(v -> done.complete(all));
                    }
                }
            };
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

    /** Hands {@code record} to the producer; both futures complete on {@code context}. */
    Sent send(ProducerRecord<byte[], byte[]> record, Context context) {
        Single outcome = new Single(context, Promise.promise(), Promise.promise());
        Pending pending = new Pending(record, outcome, System.nanoTime() + metadataTimeout.toNanos());
        thread.execute(() -> enqueue(pending));
        return new Sent(outcome.held().future(), outcome.delivered().future());
    }

    /**
     * Hands {@code records} to the producer in one go, in order. The future completes on {@code context} once Kafka
     * has answered for all of them, with each record's outcome in its place: its {@link RecordMetadata}, or the
     * {@link Exception} it failed with.
     */
    Future<List<Object>> sendAll(List<ProducerRecord<byte[], byte[]>> records, Context context) {
        if (records.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        Batch batch = new Batch(context, records.size());
        long deadline = System.nanoTime() + metadataTimeout.toNanos();
        List<Pending> pending = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            pending.add(new Pending(records.get(i), batch.slot(i), deadline));
        }
        try {
            thread.execute(() -> pending.forEach(this::enqueue));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            pending.forEach(p -> p.complete(null, GatewayException.unavailable("the gateway is shutting down")));
        }
        return batch.done.future();
    }

    private void enqueue(Pending pending) {
        String topic = pending.record().topic();
        Deque<Pending> queue = waiting.get(topic);
        if (queue != null) {
            queue.addLast(pending);
            return;
        }
        switch (metadata(topic, pending)) {
            case READY -> send(pending);
            case NOT_YET -> {
                queue = new ArrayDeque<>();
                queue.addLast(pending);
                waiting.put(topic, queue);
                retryLater(topic, FIRST_RETRY_MILLIS);
            }
            case FAILED -> { /* already failed with Kafka's reason */ }
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
            return;
        }
        switch (metadata(topic, null)) {
            case READY -> {
                waiting.remove(topic);
                queue.forEach(this::send);
            }
            case NOT_YET -> retryLater(topic, Math.min(delayMillis * 2, MAX_RETRY_MILLIS));
            case FAILED -> failAll(topic, queue);
        }
    }

    private void failAll(String topic, Deque<Pending> queue) {
        waiting.remove(topic);
        RuntimeException reason = lastMetadataFailure;
        queue.forEach(p -> p.complete(null, reason));
    }

    private void retryLater(String topic, long delayMillis) {
        thread.schedule(() -> retry(topic, delayMillis), delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * With {@code max.block.ms=0} this asks for the topic's metadata and answers at once: there, not yet, or refused
     * (then {@code pending}, when given, is failed with Kafka's reason).
     */
    private Metadata metadata(String topic, Pending pending) {
        try {
            producer.partitionsFor(topic);
            return Metadata.READY;
        } catch (TimeoutException notYet) {
            return Metadata.NOT_YET;
        } catch (RuntimeException refused) {
            lastMetadataFailure = refused;
            if (pending != null) {
                pending.complete(null, refused);
            }
            return Metadata.FAILED;
        }
    }

    /** Sends; a record the producer refuses at once (its buffer is full, say) fails without being accepted. */
    private void send(Pending pending) {
        java.util.concurrent.Future<RecordMetadata> result;
        try {
            result = producer.send(pending.record(), pending::complete);
        } catch (RuntimeException e) {
            pending.complete(null, e);
            return;
        }
        if (!result.isDone() || succeeded(result)) {
            pending.accept();
        }
    }

    private static boolean succeeded(java.util.concurrent.Future<RecordMetadata> result) {
        try {
            result.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Fails records still waiting for metadata, then closes the producer, which sends what it has buffered for up to
     * {@code timeout}. Runs on the sender thread, after everything already handed to it; completes on {@code context}.
     */
    Future<Void> close(Duration timeout, Context context) {
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
        return Future.fromCompletionStage(closed, context);
    }
}
