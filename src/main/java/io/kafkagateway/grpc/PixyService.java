package io.kafkagateway.grpc;

import com.google.protobuf.ByteString;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.Abandonment;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ConsumersQuery;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.OffsetSetting;
import io.kafkagateway.core.OffsetsQuery;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.SetOffsetsRequest;
import io.kafkagateway.core.TopicMetadata;
import io.kafkagateway.grpc.pixy.AckRq;
import io.kafkagateway.grpc.pixy.AckRs;
import io.kafkagateway.grpc.pixy.ConsNAckRq;
import io.kafkagateway.grpc.pixy.ConsRs;
import io.kafkagateway.grpc.pixy.ConsumerGroups;
import io.kafkagateway.grpc.pixy.ConsumerPartitions;
import io.kafkagateway.grpc.pixy.GetOffsetsRq;
import io.kafkagateway.grpc.pixy.GetOffsetsRs;
import io.kafkagateway.grpc.pixy.GetTopicMetadataRq;
import io.kafkagateway.grpc.pixy.GetTopicMetadataRs;
import io.kafkagateway.grpc.pixy.KafkaPixyService;
import io.kafkagateway.grpc.pixy.ListConsumersRq;
import io.kafkagateway.grpc.pixy.ListConsumersRs;
import io.kafkagateway.grpc.pixy.ListTopicRq;
import io.kafkagateway.grpc.pixy.ListTopicRs;
import io.kafkagateway.grpc.pixy.PartitionMetadata;
import io.kafkagateway.grpc.pixy.PartitionOffset;
import io.kafkagateway.grpc.pixy.ProdRq;
import io.kafkagateway.grpc.pixy.ProdRs;
import io.kafkagateway.grpc.pixy.RecordHeader;
import io.kafkagateway.grpc.pixy.SetOffsetsRq;
import io.kafkagateway.grpc.pixy.SetOffsetsRs;
import io.vertx.core.Future;

import java.util.function.Supplier;

/**
 * Kafka-Pixy's gRPC service on the gateway's engine: every RPC translated to the same cluster calls the REST API
 * makes. Produce is synchronous unless {@code async_mode}; a consume acknowledges as Pixy did (no_ack wins, then
 * auto_ack, else the message at ack_partition/ack_offset, so an all-default request acknowledges (0, 0)): the rules
 * of {@link ConsumeRequest#acknowledging}.
 */
public final class PixyService extends KafkaPixyService {

    private final ClusterClient clusters;

    public PixyService(ClusterClient clusters) {
        this.clusters = clusters;
    }

    @Override
    public Future<ProdRs> produce(ProdRq rq) {
        return call(GrpcErrors.Call.PRODUCE, () -> {
            byte[] key = rq.getKeyUndefined() ? null : rq.getKeyValue().toByteArray();
            ProduceRequest request = new ProduceRequest(rq.getTopic(), key, rq.getMessage().toByteArray(),
                    rq.getHeadersList().stream().map(h -> new io.kafkagateway.core.RecordHeader(h.getKey(), h.getValue().toByteArray())).toList(),
                    !rq.getAsyncMode());
            return clusters.produce(cluster(rq.getCluster()), request)
                    .map(result -> ProdRs.newBuilder().setPartition(result.partition()).setOffset(result.offset()).build());
        });
    }

    /**
     * {@code ConsumeNAck} for a call that marks {@code gone} when its client cancels it (bound in {@link PixyCalls},
     * which reports the write of the answer).
     */
    Future<ConsumedBatch> consumeNAck(ConsNAckRq rq, Abandonment gone) {
        return call(GrpcErrors.Call.OTHER, () -> {
            ConsumeRequest request = ConsumeRequest.acknowledging(rq.getGroup(), rq.getTopic(), rq.getNoAck(),
                    rq.getAutoAck(), rq.getAckPartition(), rq.getAckOffset(), null);
            return clusters.consume(cluster(rq.getCluster()), request.abandonedBy(gone));
        });
    }

    static ConsRs consRs(ConsumedMessage m) {
        ConsRs.Builder rs = ConsRs.newBuilder().setPartition(m.partition()).setOffset(m.offset())
                .setMessage(bytes(m.value()));
        if (m.key() == null) {
            rs.setKeyUndefined(true);
        } else {
            rs.setKeyValue(ByteString.copyFrom(m.key()));
        }
        m.headers().forEach(h -> rs.addHeaders(RecordHeader.newBuilder().setKey(h.key()).setValue(bytes(h.value()))));
        return rs.build();
    }

    @Override
    public Future<AckRs> ack(AckRq rq) {
        return call(GrpcErrors.Call.OTHER, () -> clusters.ack(cluster(rq.getCluster()),
                        new AckRequest(rq.getGroup(), rq.getTopic(), rq.getPartition(), rq.getOffset()))
                .map(ok -> AckRs.getDefaultInstance()));
    }

    @Override
    public Future<GetOffsetsRs> getOffsets(GetOffsetsRq rq) {
        return call(GrpcErrors.Call.OTHER, () -> clusters.offsets(cluster(rq.getCluster()), new OffsetsQuery(rq.getGroup(), rq.getTopic()))
                .map(offsets -> {
                    GetOffsetsRs.Builder rs = GetOffsetsRs.newBuilder();
                    offsets.partitions().forEach(p -> rs.addOffsets(PartitionOffset.newBuilder()
                            .setPartition(p.partition()).setBegin(p.begin()).setEnd(p.end()).setCount(p.count())
                            .setOffset(p.offset()).setLag(p.lag())
                            .setMetadata(p.metadata() == null ? "" : p.metadata())
                            .setSparseAcks(p.sparseAcks() == null ? "" : p.sparseAcks())));
                    return rs.build();
                }));
    }

    @Override
    public Future<SetOffsetsRs> setOffsets(SetOffsetsRq rq) {
        return call(GrpcErrors.Call.OTHER, () -> {
            var offsets = rq.getOffsetsList().stream()
                    .map(p -> new OffsetSetting(p.getPartition(), p.getOffset(), p.getMetadata()))
                    .toList();
            return clusters.setOffsets(cluster(rq.getCluster()), new SetOffsetsRequest(rq.getGroup(), rq.getTopic(), offsets))
                    .map(ok -> SetOffsetsRs.getDefaultInstance());
        });
    }

    @Override
    public Future<ListTopicRs> listTopics(ListTopicRq rq) {
        return call(GrpcErrors.Call.OTHER, () -> clusters.listTopics(cluster(rq.getCluster()), rq.getWithPartitions(), true)
                .map(list -> {
                    ListTopicRs.Builder rs = ListTopicRs.newBuilder();
                    list.topics().forEach(topic -> rs.putTopics(topic.topic(), metadata(topic)));
                    return rs.build();
                }));
    }

    @Override
    public Future<GetTopicMetadataRs> getTopicMetadata(GetTopicMetadataRq rq) {
        return call(GrpcErrors.Call.OTHER, () -> clusters.topic(cluster(rq.getCluster()), rq.getTopic(), rq.getWithPartitions(), true)
                .map(PixyService::metadata));
    }

    private static GetTopicMetadataRs metadata(TopicMetadata topic) {
        GetTopicMetadataRs.Builder rs = GetTopicMetadataRs.newBuilder().setVersion(1);
        if (topic.config() != null) {
            rs.putAllConfig(topic.config());
        }
        if (topic.partitions() != null) {
            topic.partitions().forEach(p -> rs.addPartitions(PartitionMetadata.newBuilder()
                    .setPartition(p.partition()).setLeader(p.leader()).addAllReplicas(p.replicas()).addAllIsr(p.isr())));
        }
        return rs.build();
    }

    @Override
    public Future<ListConsumersRs> listConsumers(ListConsumersRq rq) {
        return call(GrpcErrors.Call.LIST_CONSUMERS, () -> {
            String cluster = cluster(rq.getCluster());
            String group = rq.getGroup().isEmpty() ? null : rq.getGroup();
            return clusters.consumers(cluster, new ConsumersQuery(group, rq.getTopic())).map(consumers -> {
                ListConsumersRs.Builder rs = ListConsumersRs.newBuilder();
                consumers.groups().forEach((name, members) -> {
                    ConsumerGroups.Builder groupRs = ConsumerGroups.newBuilder();
                    members.forEach((member, partitions) ->
                            groupRs.putConsumers(member, ConsumerPartitions.newBuilder().addAllPartitions(partitions).build()));
                    rs.putGroups(name, groupRs.build());
                });
                return rs.build();
            });
        });
    }

    /** The cluster a request names; an unknown one is INVALID_ARGUMENT whatever the method, as in Kafka-Pixy. */
    private String cluster(String name) {
        try {
            return clusters.resolve(name);
        } catch (GatewayException e) {
            throw new UnknownCluster(e.getMessage());
        }
    }

    private static ByteString bytes(byte[] value) {
        return value == null ? ByteString.EMPTY : ByteString.copyFrom(value);
    }

    private static <T> Future<T> call(GrpcErrors.Call kind, Supplier<Future<T>> work) {
        Future<T> result;
        try {
            result = work.get();
        } catch (UnknownCluster e) {
            return Future.failedFuture(GrpcErrors.invalid(e.getMessage()));
        } catch (GatewayException e) {
            result = Future.failedFuture(e);
        }
        return result.recover(failure -> Future.failedFuture(GrpcErrors.of(failure, kind)));
    }

    /** Raised for a request naming a cluster that is not configured. */
    private static final class UnknownCluster extends RuntimeException {
        UnknownCluster(String message) {
            super(message, null, false, false);
        }
    }
}
