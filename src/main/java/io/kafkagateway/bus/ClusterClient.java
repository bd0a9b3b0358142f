package io.kafkagateway.bus;

import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.core.Abandonment;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumersQuery;
import io.kafkagateway.core.InstanceCommand;
import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.GroupOffsets;
import io.kafkagateway.core.ListOffsetRequest;
import io.kafkagateway.core.ReadBatch;
import io.kafkagateway.core.ReadRequest;
import io.kafkagateway.core.OffsetsQuery;
import io.kafkagateway.core.PositionCommit;
import io.kafkagateway.core.SetOffsetsRequest;
import io.kafkagateway.core.TopicConsumers;
import io.kafkagateway.core.ProduceBatch;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.kafkagateway.core.TopicList;
import io.kafkagateway.core.TopicMetadata;
import io.kafkagateway.core.TopicQuery;
import io.kafkagateway.kafka.KafkaClientProperties;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What every front-end (REST, gRPC, WebSocket) uses to reach a cluster: resolves the cluster name and sends the
 * request to that cluster's verticle over the event bus. Failures arrive as {@link GatewayException}.
 */
public final class ClusterClient {

    /** Room above the Kafka client's own timeout, so the Kafka error, not a bus timeout, reaches the client. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final EventBus bus;
    private final String defaultCluster;
    private final Map<String, Deadlines> clusters = new HashMap<>();

    private record Deadlines(DeliveryOptions syncProduce, DeliveryOptions request, DeliveryOptions consume) {
    }

    public ClusterClient(EventBus bus, GatewayConfig config) {
        this.bus = bus;
        this.defaultCluster = config.defaultCluster();
        config.proxies().forEach((name, cluster) -> clusters.put(name, deadlines(cluster)));
    }

    private static Deadlines deadlines(ClusterConfig cluster) {
        Duration produce = KafkaClientProperties.producerDeliveryTimeout(cluster).plus(MARGIN);
        Duration request = cluster.net().readTimeout().plus(cluster.producer().timeout()).plus(MARGIN);
        // A consume may first wait for the group to be joined, then parks for the long-polling timeout.
        Duration consume = cluster.consumer().longPollingTimeout().plus(cluster.net().readTimeout()).plus(MARGIN);
        return new Deadlines(options(produce), options(request), options(consume));
    }

    private static DeliveryOptions options(Duration timeout) {
        return new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeout.toMillis());
    }

    /**
     * The configured cluster called {@code cluster}, or the default one when it is null or empty.
     *
     * @throws GatewayException INVALID_REQUEST when no such cluster is configured
     */
    public String resolve(String cluster) {
        if (cluster == null || cluster.isEmpty()) {
            return defaultCluster;
        }
        if (!clusters.containsKey(cluster)) {
            throw GatewayException.invalid("proxy `" + cluster + "` does not exist");
        }
        return cluster;
    }

    public Future<ProduceResult> produce(String cluster, ProduceRequest request) {
        return call(cluster, name -> Addresses.produce(name), request, request.sync());
    }

    /** Produces every message of {@code batch} synchronously; one outcome per message, in order. */
    public Future<ProduceBatch.Result> produceBatch(String cluster, ProduceBatch batch) {
        return call(cluster, Addresses::produceBatch, batch, true);
    }

    public Future<TopicList> listTopics(String cluster, boolean withPartitions, boolean withConfig) {
        return call(cluster, Addresses::topics, TopicQuery.allTopics(withPartitions, withConfig), false);
    }

    public Future<TopicMetadata> topic(String cluster, String topic, boolean withPartitions, boolean withConfig) {
        return call(cluster, Addresses::topic, TopicQuery.oneTopic(topic, withPartitions, withConfig), false);
    }

    /**
     * Up to {@code request.maxMessages()} messages, as soon as one is there. The caller reports the write of the batch
     * to the client ({@link ConsumedBatch#settleWith}): until then nothing handed out counts as delivered. When the
     * answer does not come in time, the request is abandoned, so that the engine hands it nothing later.
     */
    public Future<ConsumedBatch> consume(String cluster, ConsumeRequest request) {
        Abandonment unanswered = request.abandonment().child();
        return call(cluster, Addresses::consume, request.abandonedBy(unanswered), Deadlines::consume,
                java.util.function.Function.<ConsumedBatch>identity(), unanswered::abandon);
    }

    public Future<Void> ack(String cluster, AckRequest request) {
        return call(cluster, Addresses::ack, request, Deadlines::request, ClusterClient::nothing);
    }

    public Future<ReadBatch> read(String cluster, ReadRequest request) {
        return call(cluster, Addresses::read, request, d -> options(request.maxWait().plus(request.timeout()).plus(MARGIN)));
    }

    /** Closes a reader; reading with its name again opens a new one. */
    public void closeReader(String cluster, String reader) {
        try {
            bus.send(Addresses.closeReader(resolve(cluster)), reader, new DeliveryOptions().setLocalOnly(true));
        } catch (GatewayException unknownCluster) {
            // nothing was opened there
        }
    }

    public Future<Long> listOffset(String cluster, ListOffsetRequest request) {
        return call(cluster, Addresses::listOffset, request, d -> options(request.timeout().plus(MARGIN)));
    }

    public Future<GroupOffsets> offsets(String cluster, OffsetsQuery query) {
        return call(cluster, Addresses::offsets, query, Deadlines::request);
    }

    public Future<Void> setOffsets(String cluster, SetOffsetsRequest request) {
        return call(cluster, Addresses::setOffsets, request, Deadlines::request, ClusterClient::nothing);
    }

    /** Commits a position a client keeps itself (kafka-proxy), for a group the engine does not consume. */
    public Future<Void> commitPosition(String cluster, PositionCommit position) {
        return call(cluster, Addresses::commitPosition, position, Deadlines::request, ClusterClient::nothing);
    }

    public Future<io.kafkagateway.core.BrokerList> brokers(String cluster) {
        return call(cluster, Addresses::brokers, "brokers", false);
    }

    /** A consumer instance command; a records command waits up to its own timeout, and the join of a new subscription. */
    public Future<InstanceReply> instance(String cluster, InstanceCommand command) {
        Duration wait = command instanceof InstanceCommand.Records r ? Duration.ofMillis(Math.max(0, r.timeoutMillis()))
                .plus(Duration.ofSeconds(20)) : Duration.ofSeconds(30);
        return call(cluster, Addresses::instances, command, d -> options(wait));
    }

    /** A schema registry command; a write may wait for the registry to read its topic and for its writer. */
    public Future<io.kafkagateway.core.SchemaReply> schemas(String cluster, io.kafkagateway.core.SchemaCommand command) {
        return call(cluster, Addresses::schemas, command, d -> options(Duration.ofSeconds(60)));
    }

    public Future<TopicConsumers> consumers(String cluster, ConsumersQuery query) {
        return call(cluster, Addresses::consumers, query, Deadlines::request);
    }

    private <T> Future<T> call(String cluster, java.util.function.Function<String, String> address, Object request,
                               boolean awaitsKafkaAck) {
        return call(cluster, address, request, awaitsKafkaAck ? Deadlines::syncProduce : Deadlines::request);
    }

    private <T> Future<T> call(String cluster, java.util.function.Function<String, String> address, Object request,
                               java.util.function.Function<Deadlines, DeliveryOptions> deadline) {
        return call(cluster, address, request, deadline, java.util.function.Function.<T>identity());
    }

    /**
     * Sends {@code request} to the cluster's {@code address} and answers {@code view} of the reply's body, or the
     * failure as a {@link GatewayException}. One stage on the bus's future, not a map and a recover: a parked long
     * poll keeps its stages alive while it waits.
     */
    private <B, T> Future<T> call(String cluster, java.util.function.Function<String, String> address, Object request,
                                  java.util.function.Function<Deadlines, DeliveryOptions> deadline,
                                  java.util.function.Function<B, T> view) {
        return call(cluster, address, request, deadline, view, null);
    }

    /** As above; {@code failed} (when not null) runs first when the request fails. */
    private <B, T> Future<T> call(String cluster, java.util.function.Function<String, String> address, Object request,
                                  java.util.function.Function<Deadlines, DeliveryOptions> deadline,
                                  java.util.function.Function<B, T> view, Runnable failed) {
        String name;
        try {
            name = resolve(cluster);
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return bus.<B>request(address.apply(name), request, deadline.apply(clusters.get(name)))
                .transform(done -> {
                    if (done.succeeded()) {
                        return Future.succeededFuture(view.apply(done.result().body()));
                    }
                    if (failed != null) {
                        failed.run();
                    }
                    return Future.failedFuture(GatewayException.from(done.cause()));
                });
    }

    private static Void nothing(Object body) {
        return null;
    }
}
