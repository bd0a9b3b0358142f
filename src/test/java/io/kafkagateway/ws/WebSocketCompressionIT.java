package io.kafkagateway.ws;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** permessage-deflate only with websocket.compression: a client that offers it gets it there, and only there. */
@ExtendWith(KafkaClusterExtension.class)
class WebSocketCompressionIT {

    static KafkaCluster cluster;
    static Vertx vertx;
    static WebSocketClient client;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String config(String websocket) {
        return "proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n"
                + "    consumer: {initial_offset: earliest}\n" + websocket;
    }

    /** Connects to the gateway's native dialect offering compression; answers the negotiated extensions and a frame. */
    private static String[] offerCompression(GatewayTester gateway, String topic, String group) throws Exception {
        URI base = URI.create(gateway.baseUrl());
        WebSocket socket = client.connect(new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setURI("/ws?encoding=text")).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        CompletableFuture<String> message = new CompletableFuture<>();
        socket.textMessageHandler(text -> {
            if (text.contains("\"messages\"") || text.contains("\"message\"")) {
                message.complete(text);
            }
        });
        socket.writeTextMessage("{\"type\":\"subscribe\",\"group\":\"" + group + "\",\"topics\":[\"" + topic + "\"],\"credits\":1,"
                + "\"autoAck\":true}");
        String extensions = socket.headers().get("Sec-WebSocket-Extensions");
        String first = message.get(30, TimeUnit.SECONDS);
        socket.close();
        return new String[] {extensions, first};
    }

    @Test
    void compressionIsOffUnlessConfigured() throws Exception {
        KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers());
        String topic = kafka.newTopic(1);
        String value = "compress me ".repeat(200);
        try (GatewayTester plain = GatewayTester.start(config(""));
             GatewayTester compressing = GatewayTester.start(config("websocket: {compression: true}\n"))) {
            assertThat(plain.post("/topics/" + topic + "/messages?sync", "text/plain", value).status()).isEqualTo(200);

            String[] off = offerCompression(plain, topic, "plain");
            String[] on = offerCompression(compressing, topic, "compressing");

            assertThat(off[0]).as("extensions agreed by default").isNull();
            assertThat(on[0]).as("extensions agreed with compression: true").startsWith("permessage-deflate");
            assertThat(off[1]).contains(value);
            assertThat(on[1]).contains(value);
        } finally {
            kafka.close();
        }
    }
}
