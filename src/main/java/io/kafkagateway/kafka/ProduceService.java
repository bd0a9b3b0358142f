package io.kafkagateway.kafka;

import io.kafkagateway.config.ProducerSettings;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceBatch;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.core.Topics;
import io.kafkagateway.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                done.succeeded() ? "ok" : outcomeTag(GatewayException.from(done.cause()))).increment());
    }

    /**
     * Produces a batch's messages synchronously. Each message is checked and counted against the limits on its own, so
     * a refused message (too large, limits reached, unknown topic) fails alone. Messages for topics admitted at once
     * go to the producer together; those waiting for a topic lookup follow when it answers, so that messages of one
     * topic never overtake each other. The answer comes once Kafka has answered for every message.
     */
    Future<ProduceBatch.Result> produceBatch(ProduceBatch batch) {
        List<ProduceRequest> messages = batch.messages();
        ProduceBatch.Outcome[] outcomes = new ProduceBatch.Outcome[messages.size()];
        List<Integer> admitted = new ArrayList<>(messages.size());
        Map<String, Future<Void>> lookups = new LinkedHashMap<>();
        Map<String, List<Integer>> waiting = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            ProduceRequest message = messages.get(i);
            try {
                check(message);
            } catch (GatewayException e) {
                outcomes[i] = ProduceBatch.Outcome.failed(e);
                continue;
            }
            reserve(message);
            Future<Void> pending = lookups.get(message.topic());
            Future<Void> admission = pending != null ? pending : topics.admit(message.topic());
            if (admission.succeeded()) {
                admitted.add(i);
            } else if (admission.failed()) {
                release(message);
                outcomes[i] = ProduceBatch.Outcome.failed(GatewayException.from(admission.cause()));
            } else {
                lookups.putIfAbsent(message.topic(), admission);
                waiting.computeIfAbsent(message.topic(), t -> new ArrayList<>()).add(i);
            }
        }
        List<Future<Void>> parts = new ArrayList<>();
        parts.add(send(messages, admitted, outcomes));
        lookups.forEach((topic, lookup) -> parts.add(lookup.transform(done -> {
            List<Integer> group = waiting.get(topic);
            if (done.succeeded()) {
                return send(messages, group, outcomes);
            }
            for (int i : group) {
                release(messages.get(i));
                outcomes[i] = ProduceBatch.Outcome.failed(GatewayException.from(done.cause()));
            }
            return Future.succeededFuture();
        })));
        return Future.join(parts).transform(done -> {
            countOutcomes(outcomes);
            return Future.succeededFuture(new ProduceBatch.Result(List.of(outcomes)));
        });
    }

    /** Hands the messages at {@code indexes} to the producer in one go and fills in their outcomes. */
    private Future<Void> send(List<ProduceRequest> messages, List<Integer> indexes, ProduceBatch.Outcome[] outcomes) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            records.add(record(messages.get(i)));
        }
        return producer.sendAll(records, context).transform(done -> {
            String remembered = null;
            for (int j = 0; j < indexes.size(); j++) {
                int i = indexes.get(j);
                ProduceRequest message = messages.get(i);
                release(message);
                Object delivered = done.succeeded() ? done.result().get(j) : done.cause();
                if (delivered instanceof RecordMetadata metadata) {
                    if (!message.topic().equals(remembered)) { // a batch's messages mostly share their topic
                        topics.remember(message.topic());
                        remembered = message.topic();
                    }
                    outcomes[i] = ProduceBatch.Outcome.of(new ProduceResult(metadata.partition(), metadata.offset()));
                } else {
                    outcomes[i] = ProduceBatch.Outcome.failed(GatewayException.from((Throwable) delivered));
                }
            }
            return Future.<Void>succeededFuture();
        });
    }

    private void reserve(ProduceRequest request) {
        inFlight++;
        inFlightBytes += request.approximateSize();
    }

    private void release(ProduceRequest request) {
        inFlight--;
        inFlightBytes -= request.approximateSize();
    }

    /** One counter increment per outcome kind, not per message: the lookup by tags costs more than the count. */
    private void countOutcomes(ProduceBatch.Outcome[] outcomes) {
        int ok = 0;
        for (ProduceBatch.Outcome outcome : outcomes) {
            if (outcome.error() == null) {
                ok++;
            } else {
                metrics.produceRequests(cluster, true, outcomeTag(outcome.error())).increment();
            }
        }
        if (ok > 0) {
            metrics.produceRequests(cluster, true, "ok").increment(ok);
        }
    }

    /** The metrics' outcome tag of a failed produce: its error code, in lower case. */
    private static String outcomeTag(GatewayException error) {
        return error.code().name().toLowerCase(Locale.ROOT);
    }

    /** Refuses new records from now on; records already accepted are still delivered. */
    void stop() {
        stopping = true;
    }

    private void check(ProduceRequest request) {
        if (stopping) {
            throw GatewayException.unavailable("the gateway is shutting down");
        }
        if (!topics.known(request.topic())) {
            Topics.validate(request.topic());
        }
        Topics.requireProducible(request.topic());
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
        reserve(request);
        Future<Void> admitted = topics.admit(request.topic());
        Future<ProducerSender.Sent> sent = admitted.map(ok -> producer.send(record(request), context));
        Future<ProduceResult> delivered = sent
                .compose(s -> s.delivered())
                .onComplete(done -> release(request))
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
        Integer partition = request.partition() == ProduceRequest.ANY_PARTITION ? null : request.partition();
        return new ProducerRecord<>(request.topic(), partition, request.key(), request.value(), headers);
    }
}
