package io.kafkagateway.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kafkagateway.grpc.v1.Credits;
import io.kafkagateway.grpc.v1.InitialOffset;
import io.kafkagateway.grpc.v1.Subscribe;
import io.kafkagateway.grpc.v1.SocketRequest;
import io.kafkagateway.grpc.v1.SocketResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.kafkagateway.bench.LoadGen.log;

/** WebSocket consumers: one socket reads a pre-filled topic to the end, in the native or the kafka-proxy dialect. */
final class WebSocketLoad {

    private WebSocketLoad() {
    }

    /**
     * Native dialect, batching: subscribe with the most credits a socket may hold and "batch": true, so the messages a
     * poll takes arrive in one "messages" frame; top the credits up as messages arrive.
     */
    static int nativeConsume(Args args) throws Exception {
        int credits = args.integer("credits", 10_000);
        String group = args.str("group", "bench-ws-native");
        String topic = args.str("topic", "bench-consume-ws-native");
        if (args.str("format", "json").equals("binary")) {
            return nativeConsumeBinary(args, credits, group, topic);
        }
        JsonObject subscribe = new JsonObject()
                .put("type", "subscribe")
                .put("group", group)
                .put("topics", new JsonArray().add(topic))
                .put("initialOffset", "earliest")
                .put("credits", credits)
                .put("autoAck", true)
                .put("batch", true);
        int[] granted = {credits};
        return consume(args, args.str("path", "/ws"), subscribe.encode(), (ws, frame, received) -> {
            String text = (String) frame;
            if (!text.startsWith("{\"type\":\"messages\"")) {
                if (!text.startsWith("{\"type\":\"subscribed\"")) {
                    log("frame: %s", text.length() > 300 ? text.substring(0, 300) : text);
                }
                return 0;
            }
            int count = count(text, "\"offset\":");
            // Keep the socket's credits topped up: grant half the maximum whenever half is used.
            if (granted[0] - (received + count) <= credits / 2) {
                ws.writeTextMessage("{\"type\":\"credits\",\"count\":" + credits / 2 + "}");
                granted[0] += credits / 2;
            }
            return count;
        });
    }

    /** The native dialect's protobuf framing ({@code ?format=binary}): the same subscription, batches parsed whole. */
    private static int nativeConsumeBinary(Args args, int credits, String group, String topic) throws Exception {
        SocketRequest subscribe = SocketRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setGroup(group)
                .addTopics(topic).setInitialOffset(InitialOffset.INITIAL_OFFSET_EARLIEST).setCredits(credits)
                .setAutoAck(true).setBatch(true)).build();
        Buffer grant = Buffer.buffer(SocketRequest.newBuilder().setCredits(Credits.newBuilder().setCount(credits / 2))
                .build().toByteArray());
        int[] granted = {credits};
        return consume(args, args.str("path", "/ws") + "?format=binary", Buffer.buffer(subscribe.toByteArray()),
                (ws, frame, received) -> {
                    SocketResponse response;
                    try {
                        response = SocketResponse.parseFrom(((Buffer) frame).getBytes());
                    } catch (InvalidProtocolBufferException e) {
                        log("frame not a SocketResponse: %s", e.getMessage());
                        return 0;
                    }
                    int count = response.hasBatch() ? response.getBatch().getMessagesCount() : response.hasMessage() ? 1 : 0;
                    if (count == 0 && !response.hasSubscribed()) {
                        log("frame: %s", response);
                    }
                    if (count > 0 && granted[0] - (received + count) <= credits / 2) {
                        ws.writeBinaryMessage(grant);
                        granted[0] += credits / 2;
                    }
                    return count;
                });
    }

    /** kafka-proxy dialect: each frame is a JSON array batch of {"message","offset"}; counts the batch's entries. */
    static int kafkaProxyConsume(Args args) throws Exception {
        String path = "/?topic=" + URLEncoder.encode(args.str("topic", "bench-consume-ws-proxy"), StandardCharsets.UTF_8)
                + "&consumerGroup=" + URLEncoder.encode(args.str("group", "bench-ws-proxy"), StandardCharsets.UTF_8)
                + "&offset=0";
        return consume(args, path, null, (ws, frame, received) -> {
            String text = (String) frame;
            if (!text.startsWith("[")) {
                log("frame: %s", text.length() > 300 ? text.substring(0, 300) : text);
                return 0;
            }
            return count(text, "\"offset\":");
        });
    }

    interface FrameCounter {
        /** Messages in this frame (a text frame's String, a binary frame's Buffer). */
        int messages(WebSocket ws, Object frame, long receivedSoFar);
    }

    private static int consume(Args args, String path, Object firstFrame, FrameCounter counter) throws Exception {
        long expected = args.integer("count", 200_000);
        Vertx vertx = Vertx.vertx();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(4 * 1024 * 1024)
                .setMaxMessageSize(64 * 1024 * 1024));
        long[] state = new long[3]; // received, first nanos, last nanos
        CpuWindow[] cpu = new CpuWindow[1];
        CompletableFuture<Void> finished = new CompletableFuture<>();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(args.host()).setPort(args.integer("port", 49192)).setURI(path);
        client.connect(options).onFailure(finished::completeExceptionally).onSuccess(ws -> {
            io.vertx.core.Handler<Object> onFrame = frame -> {
                int n = counter.messages(ws, frame, state[0]);
                if (n == 0) {
                    return;
                }
                long now = System.nanoTime();
                long received;
                synchronized (state) {
                    if (state[0] == 0) {
                        state[1] = now;
                        cpu[0] = CpuWindow.begin();
                    }
                    state[0] += n;
                    state[2] = now;
                    received = state[0];
                }
                if (received >= expected && !finished.isDone()) {
                    cpu[0].end();
                    ws.close();
                    finished.complete(null);
                }
            };
            ws.textMessageHandler(onFrame::handle);
            ws.binaryMessageHandler(onFrame::handle);
            ws.closeHandler(v -> finished.complete(null));
            ws.exceptionHandler(finished::completeExceptionally);
            if (firstFrame instanceof String text) {
                ws.writeTextMessage(text);
            } else if (firstFrame instanceof Buffer data) {
                ws.writeBinaryMessage(data);
            }
        });
        try {
            finished.get((long) args.seconds("timeout", 60), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log("timed out");
        } finally {
            vertx.close();
        }
        synchronized (state) {
            return Rates.consumed(state[0], expected, state[1], state[2], state[0] >= expected ? cpu[0] : null);
        }
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
