package io.kafkagateway.bus;

import io.kafkagateway.core.InstanceCommand;
import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ConsumersQuery;
import io.kafkagateway.core.ListOffsetRequest;
import io.kafkagateway.core.ReadBatch;
import io.kafkagateway.core.ReadRequest;
import io.kafkagateway.core.GroupOffsets;
import io.kafkagateway.core.OffsetsQuery;
import io.kafkagateway.core.PositionCommit;
import io.kafkagateway.core.ProduceBatch;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.SetOffsetsRequest;
import io.kafkagateway.core.TopicConsumers;
import io.kafkagateway.core.ProduceResult;
import io.kafkagateway.core.TopicList;
import io.kafkagateway.core.TopicMetadata;
import io.kafkagateway.core.TopicQuery;
import io.vertx.core.eventbus.EventBus;

import java.util.List;

/** Registers a by-reference codec for every message type of the local event bus, and the wire codecs between gateways. */
public final class Codecs {

    private static final List<Class<?>> MESSAGE_TYPES = List.of(
            ProduceRequest.class, ProduceResult.class, ProduceBatch.class, ProduceBatch.Result.class,
            TopicQuery.class, TopicList.class, TopicMetadata.class,
            ConsumeRequest.class, ConsumedMessage.class, ConsumedBatch.class, AckRequest.class,
            OffsetsQuery.class, GroupOffsets.class, SetOffsetsRequest.class, PositionCommit.class,
            ConsumersQuery.class, TopicConsumers.class,
            ReadRequest.class, ReadBatch.class, ListOffsetRequest.class, io.kafkagateway.core.BrokerList.class);

    private Codecs() {
    }

    public static void register(EventBus bus) {
        MESSAGE_TYPES.forEach(type -> registerOne(bus, type));
        for (Class<?> command : InstanceCommand.class.getPermittedSubclasses()) {
            registerOne(bus, command);
        }
        for (Class<?> reply : InstanceReply.class.getPermittedSubclasses()) {
            registerOne(bus, reply);
        }
        for (Class<?> command : io.kafkagateway.core.SchemaCommand.class.getPermittedSubclasses()) {
            registerOne(bus, command);
        }
        for (Class<?> reply : io.kafkagateway.core.SchemaReply.class.getPermittedSubclasses()) {
            registerOne(bus, reply);
        }
        io.kafkagateway.peers.PeerCodecs.register(bus);
    }

    private static <T> void registerOne(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new LocalCodec<>(type));
    }
}
