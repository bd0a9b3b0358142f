package io.kafkagateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bare HTTP/2 client over plain TCP, for tests that need frames no gRPC library sends on demand (several frames in
 * one write, say). Acknowledges the server's SETTINGS; everything else it reads is queued for the test.
 */
public final class RawHttp2 implements AutoCloseable {

    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int PING = 6;
    public static final int GOAWAY = 7;
    public static final int END_STREAM = 1;
    public static final int END_HEADERS = 4;

    /**
     * A frame read from the server; {@code type} -1 marks the end of the connection. {@code headers} holds a HEADERS
     * frame's fields, decoded (empty for other frames).
     */
    public record Frame(int type, int flags, int stream, byte[] payload, java.util.Map<String, String> headers) {
        static final Frame EOF = new Frame(-1, 0, 0, new byte[0], java.util.Map.of());

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder hpack =
            new io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder(false);

    private final Socket socket;
    private final OutputStream out;
    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

    public RawHttp2(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        Thread reader = new Thread(() -> read(in), "raw-http2-reader");
        reader.setDaemon(true);
        reader.start();
        write(concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII), frame(SETTINGS, 0, 0, new byte[0])));
    }

    private void read(DataInputStream in) {
        try {
            while (true) {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (type == SETTINGS && (flags & 1) == 0) {
                    write(frame(SETTINGS, 1, 0, new byte[0]));
                }
                frames.add(new Frame(type, flags, stream, payload, type == HEADERS ? decode(stream, flags, payload) : java.util.Map.of()));
            }
        } catch (IOException e) {
            frames.add(Frame.EOF);
        }
    }

    /** The fields of a header block the server sent (literal or indexed; the server's blocks fit one frame). */
    private java.util.Map<String, String> decode(int stream, int flags, byte[] payload) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        int padding = (flags & 0x08) != 0 ? payload[0] & 0xff : 0;
        int start = ((flags & 0x08) != 0 ? 1 : 0) + ((flags & 0x20) != 0 ? 5 : 0);
        try {
            hpack.decodeHeaders(stream, io.netty.buffer.Unpooled.wrappedBuffer(payload, start, payload.length - start - padding)).forEach(field ->
                    fields.put(field.getKey().toString(), field.getValue().toString()));
        } catch (io.netty.handler.codec.http2.Http2Exception e) {
            fields.put("x-undecodable", String.valueOf(e.getMessage()));
        }
        return fields;
    }

    /** Writes {@code bytes} in one write (so the server reads them together). */
    public synchronized void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(payload.length >>> 16);
        frame.write(payload.length >>> 8);
        frame.write(payload.length);
        frame.write(type);
        frame.write(flags);
        frame.write(stream >>> 24);
        frame.write(stream >>> 16);
        frame.write(stream >>> 8);
        frame.write(stream);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    /** A header block of literal fields (HPACK, not indexed, no Huffman; names and values under 127 bytes). */
    public static byte[] headers(String... namesAndValues) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            byte[] name = namesAndValues[i].getBytes(StandardCharsets.US_ASCII);
            byte[] value = namesAndValues[i + 1].getBytes(StandardCharsets.US_ASCII);
            block.write(0);
            block.write(name.length);
            block.writeBytes(name);
            block.write(value.length);
            block.writeBytes(value);
        }
        return block.toByteArray();
    }

    /** The frames of a gRPC call's start: its headers, then one length-prefixed message. */
    public static byte[] grpcCall(int stream, int port, String path, byte[] message) {
        return concat(grpcHeaders(stream, port, "POST", path, "application/grpc"), frame(DATA, 0, stream, grpcMessage(message, false)));
    }

    /** A gRPC call's HEADERS frame, with the given method and content type, and any extra name/value pairs. */
    public static byte[] grpcHeaders(int stream, int port, String method, String path, String contentType, String... extra) {
        String[] fields = {":method", method, ":scheme", "http", ":path", path, ":authority", "127.0.0.1:" + port,
                "content-type", contentType, "te", "trailers"};
        String[] all = java.util.Arrays.copyOf(fields, fields.length + extra.length);
        System.arraycopy(extra, 0, all, fields.length, extra.length);
        return frame(HEADERS, END_HEADERS, stream, headers(all));
    }

    /** A length-prefixed gRPC message, its compressed flag as given. */
    public static byte[] grpcMessage(byte[] message, boolean compressed) {
        byte[] prefixed = new byte[5 + message.length];
        prefixed[0] = (byte) (compressed ? 1 : 0);
        prefixed[1] = (byte) (message.length >>> 24);
        prefixed[2] = (byte) (message.length >>> 16);
        prefixed[3] = (byte) (message.length >>> 8);
        prefixed[4] = (byte) message.length;
        System.arraycopy(message, 0, prefixed, 5, message.length);
        return prefixed;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** The next frame matching {@code match} within {@code seconds}; null when the connection ended, went away or time ran out. */
    public Frame await(Predicate<Frame> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Frame frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame == null || frame.type() == -1 || frame.type() == GOAWAY) {
                return null;
            }
            if (match.test(frame)) {
                return frame;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
