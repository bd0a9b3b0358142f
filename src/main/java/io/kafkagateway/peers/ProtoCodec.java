package io.kafkagateway.peers;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The wire form of a protobuf message between clustered gateways: its length, then its bytes. A message that does
 * not decode is logged and becomes {@code broken} (an empty message its receiver answers as bad), so that a peer of
 * another version, or a corrupted frame, never throws inside the event bus.
 */
final class ProtoCodec<T extends MessageLite> implements MessageCodec<T, T> {

    private static final Logger LOG = LoggerFactory.getLogger(ProtoCodec.class);

    /** Parses a message's bytes. */
    interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    private final String name;
    private final Parser<T> parser;
    private final Supplier<T> broken;

    ProtoCodec(String name, Parser<T> parser, Supplier<T> broken) {
        this.name = name;
        this.parser = parser;
        this.broken = broken;
    }

    @Override
    public void encodeToWire(Buffer buffer, T message) {
        byte[] bytes = message.toByteArray();
        buffer.appendInt(bytes.length).appendBytes(bytes);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        try {
            int length = buffer.getInt(pos);
            return parser.parse(buffer.getBytes(pos + 4, pos + 4 + length));
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            LOG.atWarn().addKeyValue("codec", name).addKeyValue("error", e.toString())
                    .log("a message from another gateway does not decode; dropped");
            return broken.get();
        }
    }

    @Override
    public T transform(T message) {
        return message; // immutable
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
