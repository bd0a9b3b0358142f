package io.kafkagateway.kafka;

import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ListOffsetRequest;
import io.kafkagateway.core.ReadBatch;
import io.kafkagateway.core.ReadRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's partition readers, by the name their client gave them, for the WebSocket dialects whose clients keep
 * their own positions; and offset lookups by time. At most {@code maxReaders} at once; a reader nobody read from for
 * {@link #IDLE_LIMIT} is closed. Confined to the cluster verticle's event loop.
 */
final class PartitionReaders {

    static final Duration IDLE_LIMIT = Duration.ofMinutes(2);
    private static final int WORKER_THREADS = 4;

    private final String cluster;
    private final ClusterConfig config;
    private final Vertx vertx;
    private final Context context;
    private final Admin admin;
    private final int maxReaders;
    private final WorkerExecutor worker;
    private final Map<String, PartitionReader> readers = new HashMap<>();
    private final long sweepTimer;

    PartitionReaders(String cluster, ClusterConfig config, Vertx vertx, Context context, Admin admin, int maxReaders) {
        this.cluster = cluster;
        this.config = config;
        this.vertx = vertx;
        this.context = context;
        this.admin = admin;
        this.maxReaders = maxReaders;
        this.worker = vertx.createSharedWorkerExecutor("kgw-readers-" + cluster, WORKER_THREADS);
        this.sweepTimer = vertx.setPeriodic(IDLE_LIMIT.toMillis() / 4, id -> closeIdle());
    }

    Future<ReadBatch> read(ReadRequest request) {
        PartitionReader reader = readers.get(request.reader());
        if (reader == null) {
            if (readers.size() >= maxReaders) {
                return Future.failedFuture(GatewayException.throttled("too many partition readers on cluster '" + cluster
                        + "': " + readers.size() + " (websocket.max_connections)"));
            }
            reader = new PartitionReader(vertx, worker,
                    () -> new KafkaConsumer<>(KafkaClientProperties.reader(config, request.maxBytes())), this::checkRange);
            readers.put(request.reader(), reader);
        }
        return reader.read(request);
    }

    void close(String name) {
        PartitionReader reader = readers.remove(name);
        if (reader != null) {
            reader.close();
        }
    }

    /** The offset {@code request} asks for; a partition that does not exist fails UNKNOWN_TOPIC_OR_PARTITION. */
    Future<Long> listOffset(ListOffsetRequest request) {
        TopicPartition partition = new TopicPartition(request.topic(), request.partition());
        OffsetSpec spec = request.timestamp() == ListOffsetRequest.EARLIEST ? OffsetSpec.earliest()
                : request.timestamp() == ListOffsetRequest.LATEST ? OffsetSpec.latest()
                : OffsetSpec.forTimestamp(request.timestamp());
        return existing(partition, request.timeout())
                .compose(exists -> offset(partition, spec, request.timeout()))
                .recover(failure -> Future.failedFuture(GatewayException.from(failure)));
    }

    /** Before a seek: the partition exists and holds {@code request.offset()} (its end included: reading waits there). */
    private Future<Void> checkRange(ReadRequest request, TopicPartition partition) {
        Duration timeout = request.timeout();
        return existing(partition, timeout).compose(exists -> {
            Future<Long> begin = offset(partition, OffsetSpec.earliest(), timeout);
            Future<Long> end = offset(partition, OffsetSpec.latest(), timeout);
            return Future.all(begin, end).compose(both -> {
                long offset = request.offset();
                if (offset < begin.result() || offset > end.result()) {
                    return Future.failedFuture(new GatewayException(ErrorCode.OFFSET_OUT_OF_RANGE, "offset " + offset
                            + " is outside " + partition + ", which holds offsets " + begin.result() + " to "
                            + (end.result() - 1)));
                }
                return Future.<Void>succeededFuture();
            });
        }).recover(failure -> Future.failedFuture(GatewayException.from(failure)));
    }

    private Future<Long> offset(TopicPartition partition, OffsetSpec spec, Duration timeout) {
        return KafkaFutures.on(context, admin.listOffsets(Map.of(partition, spec),
                new ListOffsetsOptions().timeoutMs(millis(timeout))).partitionResult(partition)).map(info -> info.offset());
    }

    /** Succeeds when the partition exists; Kafka's admin client would otherwise retry a missing one until its timeout. */
    private Future<Void> existing(TopicPartition partition, Duration timeout) {
        return KafkaFutures.on(context, admin.describeTopics(List.of(partition.topic()),
                        new DescribeTopicsOptions().timeoutMs(millis(timeout))).allTopicNames())
                .compose(topics -> partition.partition() < topics.get(partition.topic()).partitions().size()
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new UnknownTopicOrPartitionException("topic " + partition.topic()
                        + " has no partition " + partition.partition())));
    }

    private void closeIdle() {
        long now = System.nanoTime();
        readers.entrySet().removeIf(entry -> {
            boolean idle = entry.getValue().idleNanos(now) >= IDLE_LIMIT.toNanos();
            if (idle) {
                entry.getValue().close();
            }
            return idle;
        });
    }

    /** Closes every reader, then the worker pool. */
    Future<Void> shutdown() {
        vertx.cancelTimer(sweepTimer);
        List<Future<Void>> closed = readers.values().stream().map(PartitionReader::close).toList();
        readers.clear();
        return Future.join(closed).eventually(worker::close).mapEmpty();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
