package io.kafkagateway.kafka;

import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ReadBatch;
import io.kafkagateway.core.ReadRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One client's reader of a partition, outside any consumer group: a Kafka consumer assigned to the partition being
 * read, the records it fetched beyond the last batch, and the offset the next batch starts at. Reading on from there
 * costs no seek; another offset or partition is checked against the partition's range first, so an offset the
 * partition does not hold fails with OFFSET_OUT_OF_RANGE instead of being reset. The consumer is only ever polled
 * without waiting, on a shared worker pool, so a reader holds no thread while it waits for records; its calls run one
 * after the other. Once what was fetched falls below two batches, the next poll starts at once, so that decompressing
 * the next records overlaps with the client's handling of these. One read at a time; confined to the cluster
 * verticle's event loop.
 */
final class PartitionReader {

    private static final long FIRST_BACKOFF_MILLIS = 1;
    private static final long MAX_BACKOFF_MILLIS = 50;

    /** Checks that a partition exists and holds an offset; fails with the gateway's error otherwise. */
    interface RangeCheck extends BiFunction<ReadRequest, TopicPartition, Future<Void>> {
    }

    private final Vertx vertx;
    private final WorkerExecutor worker;
    private final Supplier<Consumer<byte[], byte[]>> newConsumer;
    private final RangeCheck rangeCheck;
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> fetched = new ArrayDeque<>();
    /** Key and value bytes held in {@link #fetched}. */
    private long fetchedBytes;
    /** Below this many bytes held, the next poll starts ahead of demand: two batches of the last read. */
    private long pollAheadBelow;
    private Consumer<byte[], byte[]> consumer;
    private TopicPartition assigned;
    /** The offset the next batch starts at when the client reads on; -1 when the consumer must seek first. */
    private long next = -1;
    private boolean busy;
    private boolean closed;
    private final Promise<Void> consumerClosed = Promise.promise();
    private long lastUsedNanos = System.nanoTime();
    /** Completes when the consumer's last call on the worker is over; the next one starts after it. */
    private Future<Void> consumerIdle = Future.succeededFuture();
    /** The poll under way, if any: one started ahead of demand, or the current read's. */
    private Future<Void> polling;
    /** Changes with every seek, so that a poll started before one adds nothing after it. */
    private int position;

    PartitionReader(Vertx vertx, WorkerExecutor worker, Supplier<Consumer<byte[], byte[]>> newConsumer, RangeCheck rangeCheck) {
        this.vertx = vertx;
        this.worker = worker;
        this.newConsumer = newConsumer;
        this.rangeCheck = rangeCheck;
    }

    long idleNanos(long now) {
        return busy ? 0 : now - lastUsedNanos;
    }

    Future<ReadBatch> read(ReadRequest request) {
        if (closed) {
            return Future.failedFuture(GatewayException.unavailable("the reader is closed"));
        }
        if (busy) {
            return Future.failedFuture(GatewayException.invalid("a reader serves one read at a time"));
        }
        busy = true;
        lastUsedNanos = System.nanoTime();
        pollAheadBelow = 2L * request.maxBytes();
        TopicPartition partition = new TopicPartition(request.topic(), request.partition());
        boolean readsOn = partition.equals(assigned) && request.offset() == next;
        // Only a seek that happened moves the reader: a poll ahead that was under way finished before it (the
        // consumer's calls are chained), and what it fetched is dropped here; a refused seek leaves it in place.
        Future<Void> positioned = readsOn ? Future.succeededFuture() : rangeCheck.apply(request, partition)
                .compose(inRange -> onWorker(() -> seek(partition, request.offset())))
                .map(seeked -> {
                    position++;
                    consumer = seeked;
                    assigned = partition;
                    forgetFetched();
                    next = request.offset();
                    return null;
                });
        Promise<ReadBatch> batch = Promise.promise();
        positioned.onComplete(ready -> {
            if (ready.failed()) {
                finish(batch, Future.failedFuture(ready.cause()));
            } else {
                serve(request, System.nanoTime() + request.maxWait().toNanos(), FIRST_BACKOFF_MILLIS, batch);
            }
        });
        return batch.future();
    }

    /**
     * On the worker: the consumer (created on first use) assigned to {@code partition} at {@code offset}. Only the Kafka
     * calls run there; the reader's own state changes back on the event loop.
     */
    private Consumer<byte[], byte[]> seek(TopicPartition partition, long offset) {
        Consumer<byte[], byte[]> c = consumer == null ? newConsumer.get() : consumer;
        try {
            if (!partition.equals(assigned)) {
                c.assign(List.of(partition));
            }
            c.seek(partition, offset);
            return c;
        } catch (RuntimeException e) {
            if (c != consumer) {
                c.close(Duration.ZERO);
            }
            throw e;
        }
    }

    private void serve(ReadRequest request, long deadlineNanos, long backoffMillis, Promise<ReadBatch> batch) {
        if (closed) {
            finish(batch, Future.failedFuture(GatewayException.unavailable("the reader is closed")));
            return;
        }
        if (!fetched.isEmpty()) {
            finish(batch, Future.succeededFuture(take(request.maxBytes())));
            return;
        }
        Future<Void> polled = polling != null ? polling : poll();
        polled.onComplete(done -> {
            if (done.failed()) {
                next = -1;
                finish(batch, Future.failedFuture(GatewayException.from(done.cause())));
                return;
            }
            if (!fetched.isEmpty() || System.nanoTime() - deadlineNanos >= 0) {
                finish(batch, Future.succeededFuture(take(request.maxBytes())));
            } else {
                long wait = Math.min(backoffMillis, Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
                vertx.setTimer(wait, id -> serve(request, deadlineNanos, Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2), batch));
            }
        });
    }

    /** Polls once without waiting; what it returns past what is already held is added, unless the reader moved. */
    private Future<Void> poll() {
        int at = position;
        Consumer<byte[], byte[]> c = consumer;
        Future<Void> polled = onWorker(() -> c.poll(Duration.ZERO)).map(records -> {
            if (at == position) {
                long from = fetched.isEmpty() ? next : fetched.peekLast().offset() + 1;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() >= from) {
                        fetched.addLast(record);
                        fetchedBytes += size(record);
                    }
                }
            }
            return null;
        });
        polling = polled;
        polled.onComplete(done -> {
            if (polling == polled) {
                polling = null;
            }
        });
        return polled;
    }

    /** Runs a Kafka call on the worker pool once the consumer's previous call is over. */
    private <T> Future<T> onWorker(java.util.concurrent.Callable<T> call) {
        Future<T> result = consumerIdle.transform(previous -> worker.executeBlocking(call, false));
        consumerIdle = result.<Void>mapEmpty().otherwiseEmpty();
        return result;
    }

    /** Records from the front of what was fetched, up to {@code maxBytes}, but always the first one. */
    private ReadBatch take(int maxBytes) {
        List<ConsumedMessage> messages = new ArrayList<>();
        long bytes = 0;
        while (!fetched.isEmpty()) {
            ConsumerRecord<byte[], byte[]> record = fetched.peekFirst();
            long size = size(record);
            if (!messages.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            fetched.pollFirst();
            fetchedBytes -= size;
            bytes += size;
            messages.add(ConsumedMessage.of(record));
            next = record.offset() + 1;
        }
        return new ReadBatch(messages, next);
    }

    private static long size(ConsumerRecord<byte[], byte[]> record) {
        return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
    }

    private void forgetFetched() {
        fetched.clear();
        fetchedBytes = 0;
    }

    private void finish(Promise<ReadBatch> batch, Future<ReadBatch> outcome) {
        busy = false;
        lastUsedNanos = System.nanoTime();
        if (outcome.failed() && GatewayException.from(outcome.cause()).code() == ErrorCode.OFFSET_OUT_OF_RANGE) {
            next = -1;
        }
        batch.handle(outcome);
        if (closed) {
            closeConsumer();
        } else if (outcome.succeeded() && !outcome.result().messages().isEmpty() && fetchedBytes < pollAheadBelow
                && polling == null && consumer != null && next >= 0) {
            poll();
        }
    }

    /** Closes the consumer once no read is under way; the future completes when it is closed. */
    Future<Void> close() {
        if (!closed) {
            closed = true;
            forgetFetched();
            if (!busy) {
                closeConsumer();
            }
        }
        return consumerClosed.future();
    }

    private void closeConsumer() {
        Consumer<byte[], byte[]> toClose = consumer;
        consumer = null;
        if (toClose == null) {
            consumerClosed.tryComplete();
            return;
        }
        onWorker(() -> {
            toClose.close(Duration.ofSeconds(5));
            return null;
        }).onComplete(done -> consumerClosed.tryComplete());
    }
}
