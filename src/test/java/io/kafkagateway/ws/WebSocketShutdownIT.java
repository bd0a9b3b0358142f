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

/** Stopping with sockets open: they are told (1001, going away) instead of holding the gateway up. */
@ExtendWith(KafkaClusterExtension.class)
class WebSocketShutdownIT {

    KafkaCluster cluster;

    @Test
    void openSocketsAreClosedWithGoingAwayAndPositionsCommitted() throws Exception {
        // Given: a kafka-proxy socket that read two messages and a native socket with a subscription
        KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers());
        String topic = kafka.newTopic(1);
        GatewayTester gateway = GatewayTester.start("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers()
                + "]}\n    consumer: {initial_offset: earliest}\n");
        WsClient ws = new WsClient(gateway.baseUrl());
        for (String m : new String[] {"a", "b"}) {
            assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", m).status()).isEqualTo(200);
        }
        WsClient.Conn proxy = ws.connect("/?topic=" + topic + "&consumerGroup=kp&offset=0");
        assertThat(proxy.text()).contains("\"offset\":1");
        WsClient.Conn nativeSocket = ws.connect("/ws");
        nativeSocket.send("{\"type\":\"subscribe\",\"group\":\"n\",\"topics\":[\"" + topic + "\"],\"credits\":0}");
        assertThat(nativeSocket.text()).contains("subscribed");

        // When: draining
        gateway.gateway().drain().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        // Then: the sockets are told to go, new ones are refused, and stopping does not wait for them
        assertThat(proxy.awaitClose().code()).isEqualTo((short) 1001);
        assertThat(nativeSocket.awaitClose().code()).isEqualTo((short) 1001);
        assertThat(ws.refusal("/ws")).isEqualTo(503);
        long started = System.nanoTime();
        gateway.gateway().stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        await().untilAsserted(() -> assertThat(kafka.admin().listConsumerGroupOffsets("kp").partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS).get(new org.apache.kafka.common.TopicPartition(topic, 0)).offset()).isEqualTo(2));
        ws.close();
        kafka.close();
    }
}
