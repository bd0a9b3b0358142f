package io.kafkagateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every metric the gateway exports, named in one place. Served in Prometheus format on the management port.
 */
public final class GatewayMetrics {

    /** Produce requests answered, by cluster, mode (sync/async) and outcome (ok or an error code). */
    public static final String PRODUCE_REQUESTS = "kgw.produce.requests";
    /** Records Kafka refused after an async produce had already answered; the client never sees these. */
    public static final String PRODUCE_ASYNC_FAILURES = "kgw.produce.async.failures";
    /** Records accepted but not yet acknowledged by Kafka, per cluster. */
    public static final String PRODUCE_IN_FLIGHT = "kgw.produce.in.flight";

    /** Bytes fetched from Kafka and not yet handed to a consumer, per cluster. */
    public static final String CONSUMER_BUFFERED_BYTES = "kgw.consumer.buffered.bytes";
    /** Messages handed out and not yet acknowledged, per cluster. */
    public static final String CONSUMER_PENDING_ACKS = "kgw.consumer.pending.acks";
    /** Consumer groups this gateway is a member of, per cluster. */
    public static final String CONSUMER_GROUPS = "kgw.consumer.groups";
    public static final String CONSUMER_WAITING = "kgw.consumer.waiting.requests";
    /** Messages offered again after their ack timeout, per cluster. */
    public static final String CONSUMER_REDELIVERIES = "kgw.consumer.redeliveries";
    /** Bytes of records handed out and kept until acknowledged, per cluster. */
    public static final String CONSUMER_OFFERED_BYTES = "kgw.consumer.offered.bytes";
    /** Acknowledgements for a partition this gateway does not own for the group, per cluster. */
    public static final String CONSUMER_ACKS_NOT_OWNED = "kgw.consumer.acks.not.owned";
    /** Records fetched from a position a client had just moved away from, discarded, per cluster. */
    public static final String CONSUMER_FENCED_RECORDS = "kgw.consumer.fenced.records";
    /** Partitions whose log moved back (topic recreated, truncation) and were consumed again from its start. */
    public static final String CONSUMER_LOG_REWINDS = "kgw.consumer.log.rewinds";

    /** Connections open, per API listener. */
    public static final String CONNECTIONS_OPEN = "kgw.connections.open";
    /** Connections refused at a listener's bound (connections.max_per_listener). */
    public static final String CONNECTIONS_REFUSED = "kgw.connections.refused";
    /** Requests answered 408 and closed because their headers or body did not arrive in time. */
    public static final String REQUEST_TIMEOUTS = "kgw.request.timeouts";

    /** WebSocket connections open, all dialects. */
    public static final String WEBSOCKET_CONNECTIONS = "kgw.websocket.connections";
    /** Messages handed to WebSocket connections (written, perhaps not yet flushed), by dialect. */
    public static final String WEBSOCKET_MESSAGES_SENT = "kgw.websocket.messages.sent";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public GatewayMetrics() {
        // The JVM's own: heap and threads, so memory bounds can be watched from outside.
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    }

    public void connectionsOpen(String listener, Supplier<Number> open) {
        io.micrometer.core.instrument.Gauge.builder(CONNECTIONS_OPEN, open).tags("listener", listener).register(registry);
    }

    public Counter connectionsRefused(String listener) {
        return registry.counter(CONNECTIONS_REFUSED, Tags.of("listener", listener));
    }

    public Counter requestTimeouts(String listener) {
        return registry.counter(REQUEST_TIMEOUTS, Tags.of("listener", listener));
    }

    /** Requests passed to the gateway owning a partition, by kind and outcome ({@code answered}, {@code failed}). */
    public Counter forwarded(String kind, String outcome) {
        return registry.counter("kgw.forwarded.requests", Tags.of("kind", kind, "outcome", outcome));
    }

    public io.micrometer.core.instrument.Timer forwardingLatency(String kind) {
        return io.micrometer.core.instrument.Timer.builder("kgw.forwarding.latency").tags("kind", kind)
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public void clusterMembers(Supplier<Number> members) {
        io.micrometer.core.instrument.Gauge.builder("kgw.cluster.members", members).register(registry);
    }

    public Counter webSocketMessagesSent(String dialect) {
        return registry.counter(WEBSOCKET_MESSAGES_SENT, Tags.of("dialect", dialect));
    }

    public void webSocketConnections(Supplier<Number> open) {
        io.micrometer.core.instrument.Gauge.builder(WEBSOCKET_CONNECTIONS, open).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    public Counter produceRequests(String cluster, boolean sync, String outcome) {
        return registry.counter(PRODUCE_REQUESTS, Tags.of("cluster", cluster, "mode", sync ? "sync" : "async", "outcome", outcome));
    }

    public Counter asyncProduceFailures(String cluster, String error) {
        return registry.counter(PRODUCE_ASYNC_FAILURES, Tags.of("cluster", cluster, "error", error));
    }

    public void inFlightGauge(String cluster, Supplier<Number> inFlight) {
        io.micrometer.core.instrument.Gauge.builder(PRODUCE_IN_FLIGHT, inFlight).tags("cluster", cluster).register(registry);
    }

    /** The consumer engine's running totals; Micrometer holds them weakly, so the engine keeps them. */
    public record ConsumerTotals(AtomicLong bufferedBytes, AtomicLong offeredBytes, AtomicLong pendingAcks,
                                 AtomicLong groups, AtomicLong redeliveries, AtomicLong waiting, AtomicLong acksNotOwned,
                                 AtomicLong fencedRecords, AtomicLong logRewinds) {
    }

    public void consumerGauges(String cluster, ConsumerTotals totals) {
        gauge(CONSUMER_WAITING, cluster, totals.waiting());
        gauge(CONSUMER_BUFFERED_BYTES, cluster, totals.bufferedBytes());
        gauge(CONSUMER_OFFERED_BYTES, cluster, totals.offeredBytes());
        gauge(CONSUMER_PENDING_ACKS, cluster, totals.pendingAcks());
        gauge(CONSUMER_GROUPS, cluster, totals.groups());
        counter(CONSUMER_REDELIVERIES, cluster, totals.redeliveries());
        counter(CONSUMER_ACKS_NOT_OWNED, cluster, totals.acksNotOwned());
        counter(CONSUMER_FENCED_RECORDS, cluster, totals.fencedRecords());
        counter(CONSUMER_LOG_REWINDS, cluster, totals.logRewinds());
    }

    private void gauge(String name, String cluster, AtomicLong value) {
        io.micrometer.core.instrument.Gauge.builder(name, value, AtomicLong::doubleValue).tags("cluster", cluster).register(registry);
    }

    private void counter(String name, String cluster, AtomicLong value) {
        io.micrometer.core.instrument.FunctionCounter.builder(name, value, AtomicLong::doubleValue).tags("cluster", cluster)
                .register(registry);
    }

    public void close() {
        registry.close();
    }
}
