package io.kafkagateway.kafka;

import io.kafkagateway.config.ProducerSettings;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.internals.Topic;

/**
 * Hands records to the cluster's shared producer. Bounds the records in flight ({@code producer.channel_buffer_size}),
 * refuses what cannot succeed before it reaches the producer, and answers async produces as soon as the record is
 * queued. Confined to the owning verticle's event loop; the producer itself is fed by {@link ProducerSender}.
 */
final class ProduceService {

    private final String cluster;
    private final ProducerSettings settings;
    private final ProducerSender producer;
    private final Context context;
    private final TopicGuard topics;
    private final GatewayMetrics metrics;
    private final AsyncFailureLog asyncFailures;
    private int inFlight;
    private boolean stopping;

    ProduceService(String cluster, ProducerSettings settings, ProducerSender producer, Context context,
                   TopicGuard topics, GatewayMetrics metrics) {
        this.cluster = cluster;
        this.settings = settings;
        this.producer = producer;
        this.context = context;
        this.topics = topics;
        this.metrics = metrics;
        this.asyncFailures = new AsyncFailureLog(cluster, metrics);
        metrics.inFlightGauge(cluster, () -> inFlight);
    }

    Future<ProduceResult> produce(ProduceRequest request) {
        Future<ProduceResult> result;
        try {
            check(request);
            result = send(request);
        } catch (GatewayException e) {
            result = Future.failedFuture(e);
        }
        return result.onComplete(done -> metrics.produceRequests(cluster, request.sync(),
                done.succeeded() ? "ok" : outcome(done.cause())).increment());
    }

    /** Refuses new records from now on; records already accepted are still delivered. */
    void stop() {
        stopping = true;
    }

    private void check(ProduceRequest request) {
        if (stopping) {
            throw GatewayException.unavailable("the gateway is shutting down");
        }
        try {
            Topic.validate(request.topic());
        } catch (InvalidTopicException e) {
            throw GatewayException.invalid("invalid topic name '" + request.topic() + "': " + e.getMessage());
        }
        int size = request.approximateSize();
        if (size > settings.maxMessageBytes()) {
            throw new GatewayException(ErrorCode.RECORD_TOO_LARGE, "message of " + size + " bytes is larger than the "
                    + settings.maxMessageBytes() + " bytes cluster '" + cluster + "' accepts (producer.max_message_bytes)");
        }
        if (inFlight >= settings.channelBufferSize()) {
            throw GatewayException.throttled("cluster '" + cluster + "' already has " + inFlight
                    + " messages waiting for Kafka (producer.channel_buffer_size); retry shortly");
        }
    }

    private Future<ProduceResult> send(ProduceRequest request) {
        inFlight++;
        Future<Void> admitted = topics.admit(request.topic());
        Future<RecordMetadata> delivered = admitted
                .compose(ok -> producer.send(record(request), context))
                .onComplete(done -> inFlight--)
                .onSuccess(metadata -> topics.remember(request.topic()));
        if (request.sync()) {
            return delivered.map(metadata -> new ProduceResult(metadata.partition(), metadata.offset()));
        }
        // The client has its answer once the record is queued; a later failure can only be logged and counted.
        delivered.onFailure(failure -> {
            if (admitted.succeeded()) {
                asyncFailures.record(request.topic(), failure);
            }
        });
        return admitted.map(ok -> ProduceResult.ACCEPTED);
    }

    private static ProducerRecord<byte[], byte[]> record(ProduceRequest request) {
        RecordHeaders headers = new RecordHeaders();
        for (RecordHeader header : request.headers()) {
            headers.add(header.key(), header.value());
        }
        return new ProducerRecord<>(request.topic(), null, request.key(), request.value(), headers);
    }

    private static String outcome(Throwable failure) {
        return GatewayException.from(failure).code().name().toLowerCase(java.util.Locale.ROOT);
    }
}
