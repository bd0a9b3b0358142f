package io.kafkagateway.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real WebSocket client (Vert.x's) for tests: frames arrive in queues, the close shows its code and reason. */
public final class WsClient implements AutoCloseable {

    /** How a socket closed: the server's close code and reason. */
    public record Closed(Short code, String reason) {
    }

    /** One connection. */
    public static final class Conn {
        public final WebSocket socket;
        public final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        public final LinkedBlockingQueue<Buffer> binaries = new LinkedBlockingQueue<>();
        public final CompletableFuture<Closed> closed = new CompletableFuture<>();

        Conn(WebSocket socket) {
            this.socket = socket;
            socket.textMessageHandler(texts::add);
            socket.binaryMessageHandler(binaries::add);
            socket.closeHandler(v -> closed.complete(new Closed(socket.closeStatusCode(), socket.closeReason())));
        }

        public String text() throws InterruptedException {
            String text = texts.poll(30, TimeUnit.SECONDS);
            assertThat(text).as("a text frame within 30 s").isNotNull();
            return text;
        }

        public Buffer binary() throws InterruptedException {
            Buffer binary = binaries.poll(30, TimeUnit.SECONDS);
            assertThat(binary).as("a binary frame within 30 s").isNotNull();
            return binary;
        }

        public void send(String text) {
            await(socket.writeTextMessage(text));
        }

        public void send(Buffer binary) {
            await(socket.writeBinaryMessage(binary));
        }

        public Closed awaitClose() throws Exception {
            return closed.get(30, TimeUnit.SECONDS);
        }

        public void close() {
            if (!socket.isClosed()) {
                await(socket.close());
            }
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final WebSocketClient client;
    private final URI base;

    public WsClient(String baseUrl) {
        this(baseUrl, -1);
    }

    /**
     * A client whose sockets' receive buffer is {@code receiveBufferBytes} (-1: the kernel's, which grows it as it
     * sees fit, up to tcp_rmem's maximum).
     */
    public WsClient(String baseUrl, int receiveBufferBytes) {
        this.base = URI.create(baseUrl);
        this.client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
                .setMaxMessageSize(64 * 1024 * 1024).setMaxFrameSize(64 * 1024 * 1024)
                .setReceiveBufferSize(receiveBufferBytes));
    }

    /** Connects to {@code pathAndQuery}, with header name/value pairs. */
    public Conn connect(String pathAndQuery, String... headers) {
        return await(connectAsync(pathAndQuery, headers));
    }

    /** Connects without reading: frames stay in the socket (and TCP) until {@code socket.resume()}. */
    public Conn connectPaused(String pathAndQuery) {
        return await(connectAsync(pathAndQuery).map(conn -> {
            conn.socket.pause();
            return conn;
        }));
    }

    public Future<Conn> connectAsync(String pathAndQuery, String... headers) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            map.add(headers[i], headers[i + 1]);
        }
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setURI(pathAndQuery).setHeaders(map);
        return client.connect(options).map(Conn::new);
    }

    /** The HTTP status the server refused the upgrade with. */
    public int refusal(String pathAndQuery, String... headers) {
        try {
            connectAsync(pathAndQuery, headers).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw new AssertionError("expected a refused upgrade", e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the upgrade of " + pathAndQuery + " was accepted");
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
