package io.kafkagateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare WebSocket client over plain TCP, for tests that send what no WebSocket library sends: frames that are not
 * masked, reserved bits, text that is not UTF-8, a frame far above the limits.
 */
public final class RawWebSocket implements AutoCloseable {

    /** How the connection ended: the close frame's code (or -1 when the TCP connection ended without one). */
    public record Ending(int code, String reason) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    /** Opens {@code pathAndQuery} on the gateway at {@code baseUrl} and completes the handshake. */
    public RawWebSocket(String baseUrl, String pathAndQuery) throws IOException {
        URI base = URI.create(baseUrl);
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
    }

    /** One frame, as given: {@code opcode} 1 text, 2 binary; {@code rsv} the three reserved bits. */
    public void send(int opcode, byte[] payload, boolean masked, int rsv) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | (rsv << 4) | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(mask | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(mask | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            frame.writeBytes(key);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= key[i % 4];
            }
        }
        frame.writeBytes(body);
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (java.net.SocketException closedMidFrame) {
            // The server may refuse a frame before it has all of it; what it answered is still there to read.
        }
    }

    /** Reads until the server closes; the first close frame's code, or -1 when none came. */
    public Ending ending() throws IOException {
        try {
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                if ((first & 0x0f) == 8) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return new Ending(code, reason);
                }
            }
        } catch (java.io.EOFException | SocketTimeoutException | java.net.SocketException e) {
            return new Ending(-1, String.valueOf(e));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
