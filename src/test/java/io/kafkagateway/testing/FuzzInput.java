package io.kafkagateway.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates bad (and some good) input for the gateway's APIs from a seeded {@link Random}: raw HTTP/1.1 requests,
 * gRPC calls as HTTP/2 frames, WebSocket handshakes with frames. Each choice mixes what a client may send by mistake
 * (wrong types, missing or doubled parameters, odd encodings, broken framing) with what only an attacker sends.
 */
public final class FuzzInput {

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "G\u00e9T", "GET /x"};
    private static final String[] PATHS = {"/topics/{t}/messages", "/topics/{t}/acks", "/topics/{t}/offsets",
            "/topics/{t}/consumers", "/topics", "/topics/{t}", "/clusters/{c}/topics/{t}/messages",
            "/clusters/{c}/topics/{t}/offsets", "/_ping", "/{junk}", "/topics/{t}/messages/{junk}"};
    private static final String[] PARAMS = {"group", "key", "sync", "noAck", "ackPartition", "ackOffset", "partition",
            "offset", "initialOffset", "withPartitions", "withConfig", "msg"};
    private static final String[] CONTENT_TYPES = {"text/plain", "application/json", "application/x-www-form-urlencoded",
            "application/octet-stream", "text/plain; charset=utf-16", "application/vnd.kafka.json.v2+json", "", "\u0000"};
    private static final String[] GRPC_PATHS = {"/KafkaPixy/Produce", "/KafkaPixy/ConsumeNAck", "/KafkaPixy/Ack",
            "/KafkaPixy/GetOffsets", "/KafkaPixy/SetOffsets", "/KafkaPixy/ListTopics", "/KafkaPixy/ListConsumers",
            "/KafkaPixy/GetTopicMetadata", "/kafkagateway.v1.KafkaGateway/Produce",
            "/kafkagateway.v1.KafkaGateway/ProduceBatches", "/kafkagateway.v1.KafkaGateway/Consume", "/nope.Service/Call"};
    private static final String[] WS_PATHS = {"/ws", "/ws?format=binary", "/ws?encoding=text", "/kafka",
            "/?topic={t}&consumerGroup=fuzz", "/?topic={t}&offset=0", "/?topic={junk}", "/clusters/{c}/ws"};

    private final Random random;
    private final String topic;

    /** {@code topic}: a topic that exists, so that some requests get past the checks. */
    public FuzzInput(Random random, String topic) {
        this.random = random;
        this.topic = topic;
    }

    private <T> T pick(T[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** A topic name: the real one, a valid unknown one, an internal one, or junk. */
    private String topicName() {
        return switch (random.nextInt(5)) {
            case 0, 1 -> topic;
            case 2 -> "__consumer_offsets";
            case 3 -> "t-" + random.nextInt(1000);
            default -> junk();
        };
    }

    /** A value: a number (negative, huge, fractional), a word, empty, or percent-encoded junk. */
    private String value() {
        return switch (random.nextInt(9)) {
            case 0 -> Integer.toString(random.nextInt(5));
            case 1 -> Long.toString(-random.nextInt(10) - 1);
            case 2 -> "99999999999999999999";
            case 3 -> "1.5";
            case 4 -> "";
            case 5 -> "g" + random.nextInt(3);
            case 6 -> "earliest";
            case 7 -> "x".repeat(random.nextInt(5000));
            default -> junk();
        };
    }

    /** Percent-encoded bytes, some of them invalid escapes, control characters, or non-UTF-8. */
    private String junk() {
        StringBuilder junk = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(5)) {
                case 0 -> junk.append('%').append(String.format("%02X", random.nextInt(256)));
                case 1 -> junk.append("%Z").append((char) ('0' + random.nextInt(10)));
                case 2 -> junk.append((char) ('a' + random.nextInt(26)));
                case 3 -> junk.append(pick(new String[] {"..", "/", "+", "%00", "%20", "%0a", "%C0%AF", "%FF%FE", "%"}));
                default -> junk.append(random.nextInt(10));
            }
        }
        return junk.toString();
    }

    private byte[] bytes(int max) {
        byte[] bytes = new byte[random.nextInt(max + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A JSON-ish body for offsets: arrays of objects with odd fields, or broken JSON. */
    private byte[] jsonBody() {
        return switch (random.nextInt(6)) {
            case 0 -> "[{\"partition\":0,\"offset\":0}]".getBytes(StandardCharsets.UTF_8);
            case 1 -> ("[{\"partition\":" + value() + ",\"offset\":" + value() + ",\"metadata\":\"" + "m".repeat(random.nextInt(6000)) + "\"}]")
                    .getBytes(StandardCharsets.UTF_8);
            case 2 -> "[{\"partition\":0,\"offset\":0},{\"partition\":0,\"offset\":1}]".getBytes(StandardCharsets.UTF_8);
            case 3 -> "{\"partition\":0}".getBytes(StandardCharsets.UTF_8);
            case 4 -> "[[[[[[[[[[[[[[[[[[[[[[[[[[".getBytes(StandardCharsets.UTF_8);
            default -> bytes(200);
        };
    }

    /** A raw HTTP/1.1 request, with {@code Connection: close}. */
    public byte[] httpRequest() {
        String path = pick(PATHS).replace("{t}", topicName()).replace("{c}", random.nextBoolean() ? "default" : junk())
                .replace("{junk}", junk());
        StringBuilder query = new StringBuilder();
        int params = random.nextInt(5);
        for (int i = 0; i < params; i++) {
            query.append(i == 0 ? '?' : '&').append(random.nextInt(8) == 0 ? junk() : pick(PARAMS));
            if (random.nextInt(5) != 0) {
                query.append('=').append(value());
            }
        }
        byte[] body = switch (random.nextInt(4)) {
            case 0 -> new byte[0];
            case 1 -> jsonBody();
            case 2 -> bytes(30_000);
            default -> ("msg=" + value()).getBytes(StandardCharsets.UTF_8);
        };
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((pick(METHODS) + " " + path + query + " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n")
                .getBytes(StandardCharsets.UTF_8));
        if (random.nextInt(4) != 0) {
            request.writeBytes(("Content-Type: " + pick(CONTENT_TYPES) + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (random.nextInt(4) == 0) {
            request.writeBytes(("X-Kafka-" + (random.nextBoolean() ? "Trace" : junk()) + ": " + value() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        switch (random.nextInt(5)) {
            case 0 -> {
                // chunked, sometimes broken
                request.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String size = random.nextInt(3) == 0 ? pick(new String[] {"zz", "-5", "ffffffffffffffffff", "1;x"})
                        : Integer.toHexString(body.length);
                request.writeBytes((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(body);
                request.writeBytes((random.nextBoolean() ? "\r\n0\r\n\r\n" : "\r\n0\r\nbad trailer\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            case 1 -> {
                // a length that does not match the body (shorter: the rest is taken for a next request)
                request.writeBytes(("Content-Length: " + Math.max(0, body.length - random.nextInt(3)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(body);
            }
            case 2 -> request.writeBytes(("Content-Length: " + pick(new String[] {"-1", "abc", "99999999999999999999", "1, 2"})
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            default -> {
                request.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(body);
            }
        }
        return request.toByteArray();
    }

    /** A gRPC call as HTTP/2 frames on {@code stream}, always ending the client's side. */
    public record GrpcCall(byte[] frames, String description) {
    }

    public GrpcCall grpcCall(int stream, int port) {
        String path = pick(GRPC_PATHS);
        String contentType = random.nextInt(10) == 0 ? pick(new String[] {"application/json", "text/plain", "application/grpc+json"})
                : "application/grpc";
        List<String> extra = new ArrayList<>();
        if (random.nextInt(8) == 0) {
            extra.add("grpc-encoding");
            extra.add(pick(new String[] {"gzip", "identity", "br", "zstd"}));
        }
        extra.add("grpc-timeout");
        extra.add("2S");
        String method = random.nextInt(15) == 0 ? "GET" : "POST";
        byte[] headers = RawHttp2.grpcHeaders(stream, port, method, path, contentType, extra.toArray(new String[0]));
        byte[] message = switch (random.nextInt(5)) {
            case 0 -> bytes(64);                                               // random protobuf
            case 1 -> new byte[] {0x0a, (byte) random.nextInt(128), 't'};     // a length beyond the message
            case 2 -> validMessage();
            case 3 -> new byte[0];
            default -> mutate(validMessage());
        };
        byte[] data = switch (random.nextInt(6)) {
            case 0 -> new byte[0];                                              // no message at all
            case 1 -> RawHttp2.grpcMessage(message, true);                      // compressed flag
            case 2 -> java.util.Arrays.copyOf(RawHttp2.grpcMessage(message, false), 3);   // half a prefix
            default -> RawHttp2.grpcMessage(message, false);
        };
        return new GrpcCall(RawHttp2.concat(headers, RawHttp2.frame(RawHttp2.DATA, RawHttp2.END_STREAM, stream, data)),
                method + " " + path + " " + contentType + " " + extra + " " + data.length + " bytes");
    }

    /** A message every method's request type decodes: field 1 (a topic, a cluster) as a string. */
    private byte[] validMessage() {
        byte[] name = (random.nextBoolean() ? topic : "t").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[2 + name.length];
        message[0] = 0x0a;
        message[1] = (byte) name.length;
        System.arraycopy(name, 0, message, 2, name.length);
        return message;
    }

    private byte[] mutate(byte[] message) {
        byte[] mutated = message.clone();
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
        return mutated;
    }

    /** One WebSocket frame to send. */
    public record WsFrame(int opcode, byte[] payload, boolean masked, int rsv) {
    }

    /**
     * A socket to open and the frames to send on it; {@code refused}: the last frame is one the server must close the
     * socket for (the client then sends nothing more: data sent into a closed socket makes it reset, which can discard
     * the close frame on its way back).
     */
    public record WsCase(String path, List<WsFrame> frames, boolean refused, String description) {
    }

    public WsCase wsCase() {
        String path = pick(WS_PATHS).replace("{t}", topicName()).replace("{c}", random.nextBoolean() ? "default" : junk())
                .replace("{junk}", junk());
        List<WsFrame> frames = new ArrayList<>();
        StringBuilder description = new StringBuilder(path);
        int count = 1 + random.nextInt(3);
        boolean refused = false;
        for (int i = 0; i < count && !refused; i++) {
            int kind = random.nextInt(8);
            refused = kind == 3 || kind == 4 || kind == 5 || kind == 7;
            WsFrame frame = switch (kind) {
                case 0 -> new WsFrame(1, ("{\"type\":\"" + pick(new String[] {"subscribe", "credits", "ack", "produce", "unsubscribe", "dance"})
                        + "\",\"group\":\"" + value() + "\",\"topics\":[\"" + topicName() + "\"],\"count\":" + value()
                        + ",\"credits\":" + value() + "}").getBytes(StandardCharsets.UTF_8), true, 0);
                case 1 -> new WsFrame(1, bytes(200), true, 0);                   // text that may not be UTF-8 (1007)
                case 2 -> new WsFrame(2, bytes(300), true, 0);                   // binary junk (protobuf?)
                case 3 -> new WsFrame(1, "{}".getBytes(StandardCharsets.UTF_8), false, 0);    // not masked
                case 4 -> new WsFrame(1, "{}".getBytes(StandardCharsets.UTF_8), true, 1 + random.nextInt(7));
                case 5 -> new WsFrame(2, new byte[70_000 + random.nextInt(200_000)], true, 0);  // above max_frame_bytes
                case 6 -> new WsFrame(9, bytes(20), true, 0);                    // ping
                default -> new WsFrame(3 + random.nextInt(5), bytes(10), true, 0);  // reserved opcode
            };
            refused |= frame.opcode() == 1 && !utf8(frame.payload());
            frames.add(frame);
            description.append(" op").append(frame.opcode()).append('/').append(frame.payload().length)
                    .append(frame.masked() ? "" : "/unmasked").append(frame.rsv() == 0 ? "" : "/rsv" + frame.rsv());
        }
        return new WsCase(path, frames, refused, description.toString());
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** A request's first line and headers, for a failure message. */
    public static String show(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 400), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return (end >= 0 ? text.substring(0, end) : text).replace("\r\n", " | ");
    }
}
