package io.kafkagateway.ws;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.WsClient;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping with sockets open: a socket whose client may still acknowledge what it holds stays open through the drain
 * (its acknowledgements count), then every socket is told to go (1001) instead of holding the gateway up.
 */
@ExtendWith(KafkaClusterExtension.class)
class WebSocketShutdownIT {

    KafkaCluster cluster;

    @Test
    void acknowledgementsDuringTheDrainCountThenSocketsAreClosedWithGoingAway() throws Exception {
        // Given: a kafka-proxy socket that read two messages, and a native socket holding an unacknowledged message
        KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers());
        String topic = kafka.newTopic(1);
        GatewayTester gateway = GatewayTester.start("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers()
                + "]}\n    consumer: {initial_offset: earliest}\nshutdown_drain: 2s\n");
        WsClient ws = new WsClient(gateway.baseUrl());
        for (String m : new String[] {"a", "b"}) {
            assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", m).status()).isEqualTo(200);
        }
        WsClient.Conn proxy = ws.connect("/?topic=" + topic + "&consumerGroup=kp&offset=0");
        assertThat(proxy.text()).contains("\"offset\":1");
        WsClient.Conn nativeSocket = ws.connect("/ws");
        nativeSocket.send("{\"type\":\"subscribe\",\"group\":\"n\",\"topics\":[\"" + topic + "\"],\"credits\":1}");
        assertThat(nativeSocket.text()).contains("subscribed");
        assertThat(nativeSocket.text()).contains("\"offset\":0");

        // When: the gateway stops, and the native socket's client acknowledges its message during the drain
        java.util.concurrent.CompletableFuture<Void> stopped = gateway.gateway().stop().toCompletionStage().toCompletableFuture();
        assertThat(proxy.awaitClose().code()).as("a kafka-proxy socket holds nothing to acknowledge").isEqualTo((short) 1001);
        await().until(() -> ws.refusal("/ws") == 503);
        nativeSocket.send("{\"type\":\"ack\",\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":0}");

        // Then: the native socket is closed once the drain is over, stopping does not wait for sockets, and both
        // groups are committed where their clients left them
        long started = System.nanoTime();
        assertThat(nativeSocket.awaitClose().code()).isEqualTo((short) 1001);
        stopped.get(60, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        await().untilAsserted(() -> assertThat(committed(kafka, "kp", topic)).isEqualTo(2));
        assertThat(committed(kafka, "n", topic)).as("the acknowledgement made during the drain counted").isEqualTo(1);
        ws.close();
        kafka.close();
    }

    private static long committed(KafkaProbe kafka, String group, String topic) throws Exception {
        var offset = kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .get(new org.apache.kafka.common.TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }
}
