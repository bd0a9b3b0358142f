package io.kafkagateway;

import io.kafkagateway.testing.FuzzInput;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.RawHttp2;
import io.kafkagateway.testing.RawWebSocket;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.common.BrokerConfig;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated bad input for every API, from a fixed seed and in a bounded number, against a real broker: each case gets
 * an answer that is not a server error (no 5xx, no gRPC INTERNAL/UNKNOWN/DATA_LOSS, no WebSocket 1011 or close without
 * a close frame) within a bound, and the gateway serves normal requests afterwards. A failing case is printed with its
 * number, so it can be replayed from the same seed.
 */
@ExtendWith(KafkaClusterExtension.class)
class FuzzIT {

    private static final long SEED = 20261207L;
    private static final int REST_CASES = 400;
    private static final int GRPC_CASES = 200;
    private static final int WS_CASES = 150;

    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;
    static String topic;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        topic = kafka.newTopic(2);
        gateway = GatewayTester.start("""
                connections: {header_timeout: 2s, body_timeout: 2s, idle_timeout: 5s}
                websocket: {max_frame_bytes: 65536}
                proxies:
                  default:
                    kafka: {seed_peers: [%s]}
                    producer: {max_message_bytes: 20000}
                    consumer: {long_polling_timeout: 200ms, initial_offset: earliest, max_groups: 20}
                """.formatted(cluster.getBootstrapServers()), true);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    @Test
    void restRequestsGetAClientErrorOrAnAnswerNeverAServerError() throws Exception {
        FuzzInput input = new FuzzInput(new Random(SEED), topic);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REST_CASES; i++) {
            byte[] request = input.httpRequest();
            String status = exchange(request);
            if (status == null || !status.matches("HTTP/1\\.1 [1-4]\\d\\d .*")) {
                failures.add("case " + i + ": " + status + " for " + FuzzInput.show(request));
            }
        }
        assertThat(failures).isEmpty();
        assertServing();
    }

    /** Sends one request on a fresh connection; the answer's status line, or null when none came within 10 s. */
    private static String exchange(byte[] request) throws IOException {
        URI base = URI.create(gateway.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            try {
                // not half-closed: a request under way whose client shuts its side is taken as abandoned; a request
                // cut short is answered by the header or body timeout
                socket.getOutputStream().write(request);
            } catch (IOException refusedMidRequest) {
                // the gateway may answer and close before it read everything; the answer is still there
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                    line.write(b);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1).trim();
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1).trim();
        }
    }

    @Test
    void grpcCallsEndWithAStatusThatIsNotAServerFaultAndTheConnectionLives() throws Exception {
        FuzzInput input = new FuzzInput(new Random(SEED + 1), topic);
        List<String> failures = new ArrayList<>();
        int port = gateway.grpcPort();
        RawHttp2 http2 = new RawHttp2(port);
        try {
            for (int i = 0; i < GRPC_CASES; i++) {
                int stream = 2 * (i % 1000) + 1;
                if (stream == 1 && i > 0) {
                    http2.close();
                    http2 = new RawHttp2(port);
                }
                FuzzInput.GrpcCall call = input.grpcCall(stream, port);
                http2.write(call.frames());
                RawHttp2.Frame end = http2.await(f -> f.stream() == stream && (f.type() == RawHttp2.RST_STREAM
                        || (f.type() == RawHttp2.HEADERS && (f.flags() & RawHttp2.END_STREAM) != 0)), 15);
                String grpcStatus = end == null ? null : end.header("grpc-status");
                String httpStatus = end == null ? null : end.header(":status");
                boolean ok = end != null && end.type() == RawHttp2.HEADERS
                        && (grpcStatus != null ? !List.of("2", "13", "15").contains(grpcStatus) : httpStatus != null && httpStatus.startsWith("4"));
                if (!ok) {
                    failures.add("case " + i + " (" + call.description() + "): " + (end == null ? "no end within 15 s"
                            : end.type() == RawHttp2.RST_STREAM ? "reset" : end.headers()));
                    http2.close();
                    http2 = new RawHttp2(port);
                    continue;
                }
                http2.write(RawHttp2.frame(RawHttp2.PING, 0, 0, "kgw-ping".getBytes(StandardCharsets.US_ASCII)));
                if (http2.await(f -> f.type() == RawHttp2.PING && (f.flags() & 1) == 1, 10) == null) {
                    failures.add("case " + i + " (" + call.description() + "): the connection died");
                    http2.close();
                    http2 = new RawHttp2(port);
                }
            }
        } finally {
            http2.close();
        }
        assertThat(failures).isEmpty();
        assertServing();
    }

    @Test
    void webSocketFramesGetAnAnswerOrAClosingThatSaysWhy() throws Exception {
        FuzzInput input = new FuzzInput(new Random(SEED + 2), topic);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < WS_CASES; i++) {
            FuzzInput.WsCase wsCase = input.wsCase();
            RawWebSocket socket;
            try {
                socket = new RawWebSocket(gateway.baseUrl(), wsCase.path());
            } catch (IOException refused) {
                if (!String.valueOf(refused.getMessage()).matches("(?s)handshake refused: HTTP/1\\.1 4\\d\\d.*")) {
                    failures.add("case " + i + " (" + wsCase.path() + "): " + refused.getMessage());
                }
                continue;
            }
            try (socket) {
                for (FuzzInput.WsFrame frame : wsCase.frames()) {
                    socket.send(frame.opcode(), frame.payload(), frame.masked(), frame.rsv());
                }
                if (!wsCase.refused()) {
                    socket.send(8, new byte[] {0x03, (byte) 0xe8}, true, 0);
                }
                RawWebSocket.Ending ending = socket.ending();
                if (ending.code() == -1 || ending.code() == 1011 || (ending.code() >= 4500 && ending.code() < 4600)) {
                    failures.add("case " + i + " (" + wsCase.description() + "): " + ending);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertServing();
    }

    private static void assertServing() {
        assertThat(gateway.post("/topics/" + topic + "/messages?sync&key=k", "text/plain", "after the fuzz").status()).isEqualTo(200);
        assertThat(gateway.get("/topics/" + topic).status()).isEqualTo(200);
        assertThat(gateway.getManagement("/health").status()).isEqualTo(200);
    }
}
