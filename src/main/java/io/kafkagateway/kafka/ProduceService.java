package io.kafkagateway.kafka;

import io.kafkagateway.config.ProducerSettings;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.core.Topics;
import io.kafkagateway.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.Locale;

/**
 * Hands records to the cluster's shared producer. Bounds what is in flight (accepted, not yet acknowledged) by count
 * ({@code producer.channel_buffer_size}) and by bytes (the producer's {@code buffer.memory}), refuses what cannot
 * succeed before it reaches the producer, and answers an async produce once the producer holds the record. Confined
 * to the owning verticle's event loop; the producer itself is fed by {@link ProducerSender}.
 */
final class ProduceService {

    private final String cluster;
    private final ProducerSettings settings;
    private final long maxInFlightBytes;
    private final ProducerSender producer;
    private final Context context;
    private final TopicGuard topics;
    private final GatewayMetrics metrics;
    private final AsyncFailureLog asyncFailures;
    /** Written on the event loop only; volatile for the metrics gauge, which reads it from another thread. */
    private volatile int inFlight;
    private long inFlightBytes;
    private boolean stopping;

    ProduceService(String cluster, ProducerSettings settings, long maxInFlightBytes, ProducerSender producer,
                   Context context, TopicGuard topics, GatewayMetrics metrics) {
        this.cluster = cluster;
        this.settings = settings;
        this.maxInFlightBytes = maxInFlightBytes;
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
                done.succeeded() ? "ok" : GatewayException.from(done.cause()).code().name().toLowerCase(Locale.ROOT)).increment());
    }

    /** Refuses new records from now on; records already accepted are still delivered. */
    void stop() {
        stopping = true;
    }

    private void check(ProduceRequest request) {
        if (stopping) {
            throw GatewayException.unavailable("the gateway is shutting down");
        }
        Topics.validate(request.topic());
        int size = request.approximateSize();
        if (size > settings.maxMessageBytes()) {
            throw new GatewayException(ErrorCode.RECORD_TOO_LARGE, "message of " + size + " bytes is larger than the "
                    + settings.maxMessageBytes() + " bytes cluster '" + cluster + "' accepts (producer.max_message_bytes)");
        }
        if (inFlight >= settings.channelBufferSize()) {
            throw GatewayException.throttled("cluster '" + cluster + "' already has " + inFlight
                    + " messages waiting for Kafka (producer.channel_buffer_size); retry shortly");
        }
        if (inFlightBytes + size > maxInFlightBytes) {
            throw GatewayException.throttled("cluster '" + cluster + "' already has " + inFlightBytes
                    + " bytes waiting for Kafka (producer buffer.memory); retry shortly");
        }
    }

    private Future<ProduceResult> send(ProduceRequest request) {
        int size = request.approximateSize();
        inFlight++;
        inFlightBytes += size;
        Future<Void> admitted = topics.admit(request.topic());
        Future<ProducerSender.Sent> sent = admitted.map(ok -> producer.send(record(request), context));
        Future<ProduceResult> delivered = sent
                .compose(s -> s.delivered())
                .onComplete(done -> {
                    inFlight--;
                    inFlightBytes -= size;
                })
                .onSuccess(metadata -> topics.remember(request.topic()))
                .map(metadata -> new ProduceResult(metadata.partition(), metadata.offset()));
        if (request.sync()) {
            return delivered;
        }
        Future<Void> accepted = sent.compose(ProducerSender.Sent::accepted);
        // The client has its answer once the producer holds the record; a later failure can only be logged and counted.
        delivered.onFailure(failure -> {
            if (accepted.succeeded()) {
                asyncFailures.record(request.topic(), failure);
            }
        });
        return accepted.map(ok -> ProduceResult.ACCEPTED);
    }

    private static ProducerRecord<byte[], byte[]> record(ProduceRequest request) {
        RecordHeaders headers = new RecordHeaders();
        for (RecordHeader header : request.headers()) {
            headers.add(header.key(), header.value());
        }
        return new ProducerRecord<>(request.topic(), null, request.key(), request.value(), headers);
    }
}
