package io.kafkagateway.ws;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.RawWebSocket;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What RFC 6455 asks of a server that receives frames it cannot accept, on every dialect: the client is told why in a
 * close frame (1002 protocol error, 1007 text that is not UTF-8, 1009 too large) before the connection ends.
 */
@ExtendWith(KafkaClusterExtension.class)
class WebSocketProtocolIT {

    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;
    static String topic;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        topic = kafka.newTopic(1);
        gateway = GatewayTester.start("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n"
                + "websocket: {max_frame_bytes: 65536}\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    private static RawWebSocket.Ending send(String path, int opcode, byte[] payload, boolean masked, int rsv) throws Exception {
        try (RawWebSocket socket = new RawWebSocket(gateway.baseUrl(), path)) {
            socket.send(opcode, payload, masked, rsv);
            return socket.ending();
        }
    }

    @Test
    void aMessageAboveMaxFrameBytesIs1009OnEveryDialectKafkaProxyIncluded() throws Exception {
        byte[] big = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        byte[] huge = new byte[1_000_000];
        for (String path : new String[] {"/?topic=" + topic + "&consumerGroup=kp", "/ws", "/kafka"}) {
            assertThat(send(path, 1, big, true, 0).code()).as("%s, 100 kB", path).isEqualTo(1009);
            assertThat(send(path, 2, huge, true, 0).code()).as("%s, 1 MB, above the frame limit", path).isEqualTo(1009);
        }
    }

    @Test
    void textThatIsNotUtf8Is1007() throws Exception {
        byte[] notUtf8 = {'{', '"', 'x', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
        for (String path : new String[] {"/ws", "/kafka", "/?topic=" + topic + "&consumerGroup=kp"}) {
            assertThat(send(path, 1, notUtf8, true, 0).code()).as(path).isEqualTo(1007);
        }
    }

    @Test
    void protocolViolationsAre1002() throws Exception {
        byte[] credits = "{\"type\":\"credits\",\"count\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(send("/ws", 1, credits, false, 0).code()).as("an unmasked client frame").isEqualTo(1002);
        assertThat(send("/ws", 1, credits, true, 3).code()).as("reserved bits without an extension").isEqualTo(1002);
        assertThat(send("/ws", 5, credits, true, 0).code()).as("an unknown opcode").isEqualTo(1002);
        assertThat(gateway.get("/_ping").body()).as("the gateway still serves").isEqualTo("pong");
    }
}
