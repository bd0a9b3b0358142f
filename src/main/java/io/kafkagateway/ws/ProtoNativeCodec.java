package io.kafkagateway.ws;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.stream.StreamMessages;
import io.kafkagateway.grpc.v1.Ack;
import io.kafkagateway.grpc.v1.Notice;
import io.kafkagateway.grpc.v1.SocketProduce;
import io.kafkagateway.grpc.v1.SocketProduced;
import io.kafkagateway.grpc.v1.SocketRequest;
import io.kafkagateway.grpc.v1.SocketResponse;
import io.kafkagateway.grpc.v1.Subscribe;
import io.kafkagateway.grpc.v1.Subscribed;
import io.kafkagateway.grpc.v1.Unsubscribed;
import io.kafkagateway.stream.Subscription;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * The native dialect's binary framing: each binary frame one {@code kafkagateway.v1.SocketRequest} or
 * {@code SocketResponse} (proto/kafkagateway/v1/socket.proto), built from the streaming API's messages.
 */
final class ProtoNativeCodec implements NativeCodec {

    @Override
    public boolean binary() {
        return true;
    }

    @Override
    public NativeFrame decode(Buffer frame, String cluster) {
        SocketRequest request;
        try {
            request = SocketRequest.parseFrom(frame.getBytes());
        } catch (InvalidProtocolBufferException e) {
            throw GatewayException.invalid("a binary frame must be a kafkagateway.v1.SocketRequest: " + e.getMessage());
        }
        return switch (request.getRequestCase()) {
            case SUBSCRIBE -> subscribe(request.getSubscribe(), cluster);
            case CREDITS -> new NativeFrame.Credits(Integer.toUnsignedLong(request.getCredits().getCount()));
            case ACK -> new NativeFrame.Ack(request.getAck().getTopic(), request.getAck().getPartition(), request.getAck().getOffset());
            case PRODUCE -> produce(request.getProduce());
            case UNSUBSCRIBE -> new NativeFrame.Unsubscribe();
            case REQUEST_NOT_SET -> throw GatewayException.invalid("a SocketRequest must hold subscribe, credits, ack, produce or unsubscribe");
        };
    }

    private static NativeFrame subscribe(Subscribe subscribe, String cluster) {
        if (!subscribe.getCluster().isEmpty()) {
            throw GatewayException.invalid("Subscribe.cluster must be empty on a socket: its path chooses the cluster");
        }
        InitialOffset start = switch (subscribe.getInitialOffset()) {
            case INITIAL_OFFSET_EARLIEST -> InitialOffset.EARLIEST;
            case INITIAL_OFFSET_LATEST -> InitialOffset.LATEST;
            default -> null;
        };
        return new NativeFrame.Subscribe(new Subscription(cluster, subscribe.getGroup(), subscribe.getTopicsList(), start,
                Integer.toUnsignedLong(subscribe.getCredits()), subscribe.getAutoAck(), subscribe.getBatch()));
    }

    private static NativeFrame produce(SocketProduce produce) {
        io.kafkagateway.grpc.v1.ProduceRequest m = produce.getMessage();
        if (!m.getCluster().isEmpty()) {
            throw GatewayException.invalid("ProduceRequest.cluster must be empty on a socket: its path chooses the cluster");
        }
        return new NativeFrame.Produce(produce.getId(), new ProduceRequest(m.getTopic(), m.getKeyUndefined() ? null : m.getKey().toByteArray(),
                m.getValue().toByteArray(), m.getHeadersList().stream().map(h -> new RecordHeader(h.getKey(), h.getValue().toByteArray())).toList(),
                true));
    }

    @Override
    public Buffer subscribed(Subscription subscription) {
        return frame(SocketResponse.newBuilder().setSubscribed(Subscribed.newBuilder().setGroup(subscription.group())
                .addAllTopics(subscription.topics())));
    }

    @Override
    public Buffer message(ConsumedMessage m) {
        return frame(SocketResponse.newBuilder().setMessage(StreamMessages.message(m)));
    }

    @Override
    public Buffer batch(List<ConsumedMessage> messages) {
        return frame(SocketResponse.newBuilder().setBatch(StreamMessages.batch(messages)));
    }

    @Override
    public Buffer produced(String id, ProduceResult result) {
        return frame(SocketResponse.newBuilder().setProduced(SocketProduced.newBuilder().setId(id)
                .setPartition(result.partition()).setOffset(result.offset())));
    }

    @Override
    public Buffer produceFailed(String id, GatewayException error) {
        return frame(SocketResponse.newBuilder().setProduced(SocketProduced.newBuilder().setId(id)
                .setPartition(-1).setOffset(-1).setError(StreamMessages.error(error))));
    }

    @Override
    public Buffer ackFailed(AckRequest ack, GatewayException error) {
        return frame(SocketResponse.newBuilder().setNotice(Notice.newBuilder().setError(StreamMessages.error(error)).setAck(Ack.newBuilder()
                .setTopic(ack.topic()).setPartition(ack.partition()).setOffset(ack.offset()))));
    }

    @Override
    public Buffer unsubscribed(GatewayException error) {
        Unsubscribed.Builder unsubscribed = Unsubscribed.newBuilder();
        if (error != null) {
            unsubscribed.setError(StreamMessages.error(error));
        }
        return frame(SocketResponse.newBuilder().setUnsubscribed(unsubscribed));
    }

    @Override
    public Buffer error(GatewayException error) {
        return frame(SocketResponse.newBuilder().setError(StreamMessages.error(error)));
    }

    private static Buffer frame(SocketResponse.Builder response) {
        return Buffer.buffer(response.build().toByteArray());
    }
}
