package io.kafkagateway.stream;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.grpc.v1.Error;
import io.kafkagateway.grpc.v1.Header;
import io.kafkagateway.grpc.v1.Message;
import io.kafkagateway.grpc.v1.MessageBatch;

import java.util.List;

/**
 * The streaming API's messages built from the gateway's types, shared by the gRPC streams and the WebSocket native
 * dialect's binary framing (both speak kafkagateway.v1).
 */
public final class StreamMessages {

    private StreamMessages() {
    }

    public static Message message(ConsumedMessage m) {
        Message.Builder message = Message.newBuilder().setTopic(m.topic()).setPartition(m.partition()).setOffset(m.offset())
                .setTimestamp(m.timestamp()).setValue(bytes(m.value()));
        if (m.key() == null) {
            message.setKeyUndefined(true);
        } else {
            message.setKey(bytes(m.key()));
        }
        for (RecordHeader h : m.headers()) {
            message.addHeaders(Header.newBuilder().setKey(h.key()).setValue(bytes(h.value())));
        }
        return message.build();
    }

    public static MessageBatch batch(List<ConsumedMessage> messages) {
        MessageBatch.Builder batch = MessageBatch.newBuilder();
        messages.forEach(m -> batch.addMessages(message(m)));
        return batch.build();
    }

    public static Error error(GatewayException error) {
        return Error.newBuilder().setCode(error.code().name()).setMessage(error.getMessage()).build();
    }

    /** The bytes as they are (the records are not changed once fetched), or empty for null. */
    public static ByteString bytes(byte[] value) {
        return value == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(value);
    }
}
