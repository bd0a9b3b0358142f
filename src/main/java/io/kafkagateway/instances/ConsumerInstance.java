package io.kafkagateway.instances;

import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.core.RecordFormat;
import io.kafkagateway.core.RecordHeader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer instance's records, on the engine's event loop: what its poll thread fetched ahead (at most
 * {@link #BUFFER_BYTES}), the records requests parked until records come or their timer fires, and the position
 * after the last record returned of each partition (what "commit everything returned" and auto-commit commit).
 * A record counts as read once it is returned: the position moves then, never when it is only fetched.
 */
final class ConsumerInstance implements InstancePoller.Events {

    /** Bytes of keys and values an instance holds fetched ahead of its requests; beyond, its partitions pause. */
    static final long BUFFER_BYTES = 4 << 20;
    /** Records requests parked at once on one instance; more answer 429. */
    static final int MAX_WAITING = 16;

    private record Fetched(InstanceReply.Record record, TopicPartition partition, long epoch) {
    }

    private record Waiting(Promise<InstanceReply.Records> promise, long maxBytes, long timer) {
    }

    final String group;
    final String name;
    final boolean autoCommit;
    final RecordFormat format;
    final long requestTimeoutMillis;
    private final Vertx vertx;
    private final Context context;
    private final ArrayDeque<Fetched> buffer = new ArrayDeque<>();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Next offset to read of each partition, after what was returned; read by the poll thread at revocation. */
    private final Map<TopicPartition, Long> returned = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> autoCommitted = new HashMap<>();
    private InstancePoller poller;
    /** Completes when the group first assigns this instance (its subscription has joined). */
    private final Promise<Void> joined = Promise.promise();
    private long lastUsedNanos = System.nanoTime();
    private volatile Throwable failure;
    private boolean closed;

    ConsumerInstance(String group, String name, RecordFormat format, boolean autoCommit, long requestTimeoutMillis,
                     Vertx vertx, Context context) {
        this.format = format;
        this.group = group;
        this.name = name;
        this.autoCommit = autoCommit;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.vertx = vertx;
        this.context = context;
    }

    void attach(InstancePoller poller) {
        this.poller = poller;
    }

    InstancePoller poller() {
        return poller;
    }

    boolean full() {
        return bufferedBytes.get() >= BUFFER_BYTES;
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    /** Idle: no request touched it for {@code limitNanos} and none waits. */
    boolean idle(long now, long limitNanos) {
        return waiting.isEmpty() && now - lastUsedNanos > limitNanos;
    }

    /** Why the instance can no longer serve (its poll thread failed), or null. */
    Throwable failure() {
        return failure;
    }

    /**
     * Records ready now, at most {@code maxBytes}; when none, waits up to {@code timeoutMillis} for some. An answer is
     * a whole number of records strictly below {@code maxBytes}, possibly none, except that a first record larger
     * than {@code maxBytes} comes alone (else the instance could never move past it). {@code expected}, when not
     * null, must be the instance's format. A closed instance answers at once with nothing.
     */
    Future<InstanceReply.Records> records(long timeoutMillis, long maxBytes, RecordFormat expected) {
        touch();
        if (expected != null && expected != format) {
            return Future.failedFuture(new GatewayException(io.kafkagateway.core.ErrorCode.NOT_ACCEPTABLE, "The requested"
                    + " embedded data format does not match the deserializer for this consumer instance (it reads "
                    + format.name().toLowerCase(java.util.Locale.ROOT) + ")"));
        }
        if (closed || !buffer.isEmpty() || timeoutMillis <= 0) {
            return take(maxBytes);
        }
        if (waiting.size() >= MAX_WAITING) {
            return Future.failedFuture(GatewayException.throttled(MAX_WAITING + " records requests wait for consumer"
                    + " instance " + name + " already; wait for their answers"));
        }
        Promise<InstanceReply.Records> promise = Promise.promise();
        Waiting[] self = new Waiting[1];
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (waiting.remove(self[0])) {
                promise.tryComplete(new InstanceReply.Records(List.of(), format));
            }
        });
        self[0] = new Waiting(promise, maxBytes, timer);
        waiting.add(self[0]);
        return promise.future();
    }

    private Future<InstanceReply.Records> take(long maxBytes) {
        List<InstanceReply.Record> out = new ArrayList<>();
        long bytes = 0;
        while (!buffer.isEmpty()) {
            Fetched next = buffer.peek();
            if (next.epoch() != poller.epoch(next.partition())) {
                // fetched before a revocation or seek the poll thread has made and this loop not yet heard of
                buffer.poll();
                bufferedBytes.addAndGet(-next.record().size());
                continue;
            }
            if (bytes + next.record().size() >= maxBytes && !out.isEmpty()) {
                break;
            }
            if (!RecordChecks.renderable(next.record(), format)) {
                if (out.isEmpty()) {
                    return Future.failedFuture(RecordChecks.undecodable(next.record(), format));
                }
                break; // the answer ends before it; the next request fails on it
            }
            buffer.poll();
            bufferedBytes.addAndGet(-next.record().size());
            bytes += next.record().size();
            out.add(next.record());
            returned.put(next.partition(), next.record().offset() + 1);
        }
        if (!out.isEmpty() && !full()) {
            poller.roomAgain();
        }
        return Future.succeededFuture(new InstanceReply.Records(out, format));
    }

    private void serveWaiting() {
        while (!waiting.isEmpty() && !buffer.isEmpty()) {
            Waiting next = waiting.poll();
            vertx.cancelTimer(next.timer());
            take(next.maxBytes()).onComplete(next.promise());
        }
    }

    /** After a seek on the poll thread: what was fetched from the old positions goes, the positions are the new ones. */
    void moved(Map<TopicPartition, Long> positions) {
        dropBuffered(positions.keySet());
        returned.putAll(positions);
    }

    /** Offsets after everything returned so far, for commits. */
    Map<TopicPartition, OffsetAndMetadata> returnedOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        returned.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
        return offsets;
    }

    /** What auto-commit has to commit since it last did: positions that moved. */
    Map<TopicPartition, OffsetAndMetadata> autoCommitDue() {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        returned.forEach((partition, next) -> {
            if (!next.equals(autoCommitted.get(partition))) {
                due.put(partition, new OffsetAndMetadata(next));
            }
        });
        return due;
    }

    void autoCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> autoCommitted.put(partition, offset.offset()));
    }

    /** For revocation on the poll thread: the returned positions of these partitions (auto-commit only). */
    Map<TopicPartition, OffsetAndMetadata> returnedOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Long next = returned.get(partition);
            if (next != null) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        }
        return offsets;
    }

    /** Answers every parked request with what is there (the instance is going away). */
    void close() {
        closed = true;
        while (!waiting.isEmpty()) {
            Waiting next = waiting.poll();
            vertx.cancelTimer(next.timer());
            next.promise().tryComplete(new InstanceReply.Records(List.of(), format));
        }
    }

    @Override
    public void records(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> epochs) {
        List<Fetched> fetched = new ArrayList<>(records.count());
        long bytes = 0;
        for (TopicPartition partition : records.partitions()) {
            long epoch = epochs.get(partition);
            for (ConsumerRecord<byte[], byte[]> r : records.records(partition)) {
                InstanceReply.Record record = new InstanceReply.Record(r.topic(), r.partition(), r.offset(),
                        r.timestamp(), r.key(), r.value(), headers(r));
                fetched.add(new Fetched(record, partition, epoch));
                bytes += record.size();
            }
        }
        bufferedBytes.addAndGet(bytes); // counted on the poll thread, so that it pauses before the next poll
        context.runOnContext(v -> {
            for (Fetched f : fetched) {
                if (!closed && f.epoch() == poller.epoch(f.partition())) {
                    buffer.add(f);
                } else {
                    bufferedBytes.addAndGet(-f.record().size());
                }
            }
            serveWaiting();
        });
    }

    /** Completes once the group has assigned this instance partitions, or (assignment unchanged) at once. */
    Future<Void> joined() {
        return joined.future();
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        context.runOnContext(v -> joined.tryComplete());
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        List<TopicPartition> gone = List.copyOf(partitions);
        context.runOnContext(v -> {
            dropBuffered(gone);
            gone.forEach(returned::remove);
            gone.forEach(autoCommitted::remove);
        });
    }

    @Override
    public void failed(Throwable cause) {
        failure = cause;
        context.runOnContext(v -> close());
    }

    private void dropBuffered(Collection<TopicPartition> partitions) {
        Iterator<Fetched> it = buffer.iterator();
        while (it.hasNext()) {
            Fetched f = it.next();
            if (partitions.contains(f.partition())) {
                it.remove();
                bufferedBytes.addAndGet(-f.record().size());
            }
        }
    }

    private static List<RecordHeader> headers(ConsumerRecord<byte[], byte[]> record) {
        List<RecordHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(new RecordHeader(h.key(), h.value()));
        }
        return headers;
    }
}
