package io.kafkagateway.schemas;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format of a key or value written with a registered schema: byte 0 is the magic 0, bytes 1-4 the
 * schema id (big-endian), then the payload in the schema's own encoding.
 */
public final class WireFormat {

    public static final int HEADER = 5;

    private WireFormat() {
    }

    public static byte[] frame(int id, byte[] payload) {
        return ByteBuffer.allocate(HEADER + payload.length).put((byte) 0).putInt(id).put(payload).array();
    }

    /** Whether {@code bytes} start as the wire format does (the magic byte and room for an id). */
    public static boolean framed(byte[] bytes) {
        return bytes.length >= HEADER && bytes[0] == 0;
    }

    /** The schema id of framed bytes. */
    public static int id(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}
