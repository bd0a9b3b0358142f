package io.kafkagateway.grpc;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.RawHttp2;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls a gRPC library would never send, sent as raw HTTP/2 frames: every one ends with a status that says what is
 * wrong (or the HTTP status gRPC specifies), within a bound, and the connection keeps serving.
 */
@ExtendWith(KafkaClusterExtension.class)
class GrpcMalformedIT {

    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;

    private static final String PIXY_PRODUCE = "/KafkaPixy/Produce";
    private static final String[] CALLS = {PIXY_PRODUCE, "/kafkagateway.v1.KafkaGateway/Produce", "/kafkagateway.v1.KafkaGateway/Consume"};

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        gateway = GatewayTester.start("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n", true);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    /** Sends {@code frames} on stream 1 of a new connection; the stream's final HEADERS frame (its status). */
    private static RawHttp2.Frame call(byte[] frames) throws Exception {
        try (RawHttp2 http2 = new RawHttp2(gateway.grpcPort())) {
            http2.write(frames);
            RawHttp2.Frame end = http2.await(f -> f.stream() == 1 && (f.type() == RawHttp2.RST_STREAM
                    || (f.type() == RawHttp2.HEADERS && (f.flags() & RawHttp2.END_STREAM) != 0)), 15);
            assertThat(end).as("the call ends within 15 s").isNotNull();
            assertThat(end.type()).as("a status, not a reset").isEqualTo(RawHttp2.HEADERS);
            http2.write(RawHttp2.frame(RawHttp2.PING, 0, 0, "kgw-ping".getBytes(StandardCharsets.US_ASCII)));
            assertThat(http2.await(f -> f.type() == RawHttp2.PING && (f.flags() & 1) == 1, 10)).as("the connection is alive").isNotNull();
            return end;
        }
    }

    private static byte[] headers(String path, String... extra) {
        return RawHttp2.grpcHeaders(1, gateway.grpcPort(), "POST", path, "application/grpc", extra);
    }

    private static byte[] data(byte[] payload, boolean end) {
        return RawHttp2.frame(RawHttp2.DATA, end ? RawHttp2.END_STREAM : 0, 1, payload);
    }

    @Test
    void aMessageThatDoesNotDecodeIsInvalidArgument() throws Exception {
        byte[][] garbage = {
                {(byte) 0x0f, 1, 2, 3},                                  // wire type 7
                {(byte) 0x0a, 2, (byte) 0xff, (byte) 0xfe},              // a string field that is not UTF-8
                {(byte) 0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                {(byte) 0x0a, 100, 'a'}};                                // a field longer than the message
        for (String path : CALLS) {
            for (byte[] message : garbage) {
                RawHttp2.Frame end = call(RawHttp2.concat(headers(path), data(RawHttp2.grpcMessage(message, false), true)));
                assertThat(end.header("grpc-status")).as(path).isEqualTo("3");
                assertThat(end.header("grpc-message")).as(path).contains("does%20not%20decode");
            }
        }
    }

    @Test
    void aUnaryCallWithoutACompleteMessageIsInvalidArgument() throws Exception {
        byte[] halfAPrefix = {0, 0, 0};
        byte[] prefixLongerThanData = {0, 0, 0, 0, 100, 1, 2, 3};
        for (byte[] frames : new byte[][] {
                RawHttp2.frame(RawHttp2.HEADERS, RawHttp2.END_HEADERS | RawHttp2.END_STREAM, 1,
                        RawHttp2.headers(":method", "POST", ":scheme", "http", ":path", PIXY_PRODUCE, ":authority", "x",
                                "content-type", "application/grpc", "te", "trailers")),
                RawHttp2.concat(headers(PIXY_PRODUCE), data(new byte[0], true)),
                RawHttp2.concat(headers(PIXY_PRODUCE), data(halfAPrefix, true)),
                RawHttp2.concat(headers(PIXY_PRODUCE), data(prefixLongerThanData, true))}) {
            RawHttp2.Frame end = call(frames);
            assertThat(end.header("grpc-status")).isEqualTo("3");
            assertThat(end.header("grpc-message")).contains("without%20a%20complete%20request%20message");
        }
    }

    @Test
    void aCallWaitingForItsMessageEndsWithDeadlineExceeded() throws Exception {
        // The message never comes and the stream stays open; the client's grpc-timeout (1 s) bounds the wait
        for (String path : new String[] {PIXY_PRODUCE, "/kafkagateway.v1.KafkaGateway/Consume"}) {
            RawHttp2.Frame end = call(headers(path, "grpc-timeout", "1S"));
            assertThat(end.header("grpc-status")).as(path).isEqualTo("4");
        }
    }

    @Test
    void compressionTheCallDoesNotDeclareOrTheGatewayDoesNotKnowIsRefused() throws Exception {
        byte[] message = RawHttp2.grpcMessage(new byte[] {0x0a, 1, 't'}, true);
        RawHttp2.Frame undeclared = call(RawHttp2.concat(headers(PIXY_PRODUCE), data(message, true)));
        assertThat(undeclared.header("grpc-status")).isEqualTo("3");
        RawHttp2.Frame brotli = call(RawHttp2.concat(headers(PIXY_PRODUCE, "grpc-encoding", "br"), data(message, true)));
        assertThat(brotli.header("grpc-status")).isEqualTo("12");
        assertThat(brotli.header("grpc-accept-encoding")).isEqualTo("gzip");
    }

    @Test
    void aWrongMethodIs405AndAWrongContentTypeIs415() throws Exception {
        RawHttp2.Frame get = call(RawHttp2.concat(RawHttp2.grpcHeaders(1, gateway.grpcPort(), "GET", PIXY_PRODUCE, "application/grpc"),
                data(RawHttp2.grpcMessage(new byte[0], false), true)));
        assertThat(get.header(":status")).as(get.headers().toString()).isEqualTo("405");
        for (String type : new String[] {"application/json", "text/plain", "application/grpc-web", "application/grpc+json"}) {
            RawHttp2.Frame wrong = call(RawHttp2.concat(RawHttp2.grpcHeaders(1, gateway.grpcPort(), "POST", PIXY_PRODUCE, type),
                    data(RawHttp2.grpcMessage(new byte[0], false), true)));
            assertThat(wrong.header(":status")).as(type).isEqualTo("415");
        }
    }
}
