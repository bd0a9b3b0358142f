package io.kafkagateway.http;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kafkagateway.testing.WsClient;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow, idle and half-open clients cannot hold the REST listener: each phase of a request has a bound
 * ({@code connections.*}), what a stalled request held is released when it is closed, a listener holds a bounded
 * number of connections, and malformed framing gets a 400. A request read in full (a long poll) and an upgraded
 * WebSocket are not cut by these bounds.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConnectionBoundsIT {

    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;
    static String topic;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        topic = kafka.newTopic(1);
        gateway = GatewayTester.start("""
                connections: {idle_timeout: 1s, header_timeout: 1s, body_timeout: 1s, max_per_listener: 60}
                max_request_bytes_in_flight: 1048576
                proxies:
                  default:
                    kafka: {seed_peers: [%s]}
                    producer: {max_message_bytes: 10000}
                    consumer: {long_polling_timeout: 3s, initial_offset: earliest}
                """.formatted(cluster.getBootstrapServers()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    private static Socket connect() throws IOException {
        URI base = URI.create(gateway.baseUrl());
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** What the gateway sends until it closes the connection, and how long that took. */
    private record Answer(String text, Duration took) {
    }

    private static Answer untilClosed(Socket socket) throws IOException {
        long started = System.nanoTime();
        InputStream in = socket.getInputStream();
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Answer(text, Duration.ofNanos(System.nanoTime() - started));
    }

    @Test
    void anIdleConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (Socket socket = connect()) {
            Answer answer = untilClosed(socket);
            assertThat(answer.text()).isEmpty();
            assertThat(answer.took()).isBetween(Duration.ofMillis(700), Duration.ofSeconds(5));
        }
    }

    @Test
    void headersThatDoNotArriveInTimeAre408() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /_ping HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            Answer answer = untilClosed(socket);
            assertThat(answer.text()).startsWith("HTTP/1.1 408").contains("connections.header_timeout");
        }
    }

    @Test
    void aBodyThatStallsIs408AndWhatItReservedIsReleased() throws Exception {
        // Given: half-open chunked produces until the body budget is used up
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket socket = connect();
                socket.getOutputStream().write(("POST /topics/" + topic + "/messages HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n").getBytes(StandardCharsets.US_ASCII));
                stalled.add(socket);
            }
            assertThat(gateway.postChunked("/topics/" + topic + "/messages", "text/plain", "m".getBytes()).status())
                    .as("the budget is held").isEqualTo(429);

            // When: their bodies stall past body_timeout (those opened once the budget was full got 429 first)
            int timedOut = 0;
            for (Socket socket : stalled) {
                String text = untilClosed(socket).text();
                assertThat(text).satisfiesAnyOf(t -> assertThat(t).startsWith("HTTP/1.1 408"), t -> assertThat(t).startsWith("HTTP/1.1 429"));
                timedOut += text.contains("connections.body_timeout") ? 1 : 0;
            }
            assertThat(timedOut).isPositive();

            // Then: their reservations are released
            await().untilAsserted(() -> assertThat(gateway.postChunked("/topics/" + topic + "/messages?sync", "text/plain",
                    "m".getBytes()).status()).isEqualTo(200));
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void aLongPollOutlastsTheBoundsAndAWebSocketStaysOpenWhenIdle() throws Exception {
        // A long poll of 3 s, longer than every bound, is answered
        Response poll = gateway.get("/topics/" + topic + "/messages?group=g-long&noAck");
        assertThat(poll.status()).as(poll.toString()).isIn(200, 408);
        if (poll.status() == 408) {
            assertThat(poll.error()).isEqualTo("long polling timeout");
        }

        // An idle WebSocket outlives idle_timeout
        try (WsClient ws = new WsClient(gateway.baseUrl())) {
            WsClient.Conn conn = ws.connect("/ws");
            await().pollDelay(Duration.ofMillis(2500)).until(() -> true);
            conn.send("{\"type\":\"credits\",\"count\":1}");
            assertThat(conn.text()).contains("not subscribed");
        }
    }

    @Test
    void malformedChunkedFramingIs400() throws Exception {
        for (String chunk : new String[] {"zz", "-5", "ffffffffffffffffffff"}) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(("POST /topics/" + topic + "/messages HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + chunk + "\r\nabc\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                Answer answer = untilClosed(socket);
                assertThat(answer.text()).as(chunk).startsWith("HTTP/1.1 400").contains("malformed request body");
            }
        }
    }

    @Test
    void aBodyCutShortByTheClientClosingItsSideIs400AtOnce() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /topics/" + topic + "/messages HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 50\r\n\r\nonly part").getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            Answer answer = untilClosed(socket);
            assertThat(answer.text()).startsWith("HTTP/1.1 400").contains("before the whole body was sent");
        }
    }

    @Test
    void aListenerHoldsAtMostMaxPerListenerConnections() throws Exception {
        // Given: 70 connections opened at once on a listener allowing 60 (the test's HTTP client may hold some too)
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 70; i++) {
                sockets.add(connect());
            }

            // Then: at least ten are answered 503 at once and closed; the others are held (until idle_timeout)
            int refused = 0;
            for (Socket socket : sockets) {
                String text = untilClosed(socket).text();
                if (!text.isEmpty()) {
                    assertThat(text).startsWith("HTTP/1.1 503").contains("Retry-After: 1", "connections.max_per_listener");
                    refused++;
                }
            }
            assertThat(refused).isBetween(10, 70);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        // And: once they are closed, connections are accepted again
        await().untilAsserted(() -> assertThat(gateway.get("/_ping").status()).isEqualTo(200));
    }
}
