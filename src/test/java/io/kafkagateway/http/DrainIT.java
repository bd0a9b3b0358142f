package io.kafkagateway.http;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopping: a draining gateway refuses new work with 503 while still answering, and readiness turns false. */
@ExtendWith(KafkaClusterExtension.class)
class DrainIT {

    KafkaCluster cluster;

    @Test
    void drainingGatewayAnswers503AndIsNotReady() throws Exception {
        // Given
        String topic;
        try (KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers())) {
            topic = kafka.newTopic(1);
        }
        try (GatewayTester gateway = GatewayTester.forCluster(cluster.getBootstrapServers(), "")) {
            assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "before").status()).isEqualTo(200);

            // When
            gateway.gateway().drain().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            // Then
            Response refused = gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "after");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.error()).isEqualTo("the gateway is shutting down");
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(gateway.getManagement("/ready").status()).isEqualTo(503);
            assertThat(gateway.get("/topics").status()).as("metadata reads still work while draining").isEqualTo(200);
        }
    }

    @Test
    void stoppingAnswers503ForTheDrainWindowThenCloses() throws Exception {
        // Given
        String topic;
        try (KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers())) {
            topic = kafka.newTopic(1);
        }
        GatewayTester gateway = GatewayTester.start("shutdown_drain: 3s\nproxies:\n  default:\n    kafka: {seed_peers: ["
                + cluster.getBootstrapServers() + "]}\n");

        // When
        var stopped = gateway.gateway().stop().toCompletionStage().toCompletableFuture();

        // Then: still listening, refusing politely, not ready
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(gateway.post("/topics/" + topic + "/messages", "text/plain", "late").status()).isEqualTo(503));
        assertThat(gateway.getManagement("/ready").status()).isEqualTo(503);
        stopped.get(30, TimeUnit.SECONDS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.get("/_ping"))
                .as("closed after the drain window").isInstanceOf(java.io.UncheckedIOException.class);
    }
}
