package io.kafkagateway.management;

import io.kafkagateway.testing.GatewayTester;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Kafka client that can no longer work shows on the management port: /ready and /health fail, saying why. */
@ExtendWith(KafkaClusterExtension.class)
class KafkaClientHealthIT {

    KafkaCluster cluster;

    @Test
    @SuppressWarnings("removal")
    void aDeadAdminClientMakesTheGatewayUnhealthy() {
        try (GatewayTester gateway = GatewayTester.forCluster(cluster.getBootstrapServers(), "client_id: health-test")) {
            // Given: a healthy gateway
            assertThat(gateway.getManagement("/health").status()).isEqualTo(200);
            assertThat(gateway.getManagement("/ready").status()).isEqualTo(200);

            // When: the thread of its shared admin client dies (as an uncaught error inside the Kafka client once made it)
            List<Thread> adminThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("kafka-admin-client-thread | health-test")).toList();
            assertThat(adminThreads).hasSize(1);
            adminThreads.get(0).stop();

            // Then: restarting is the remedy, and the management port says so
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var health = gateway.getManagement("/health");
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
                assertThat(health.json().get("clusters").get("default").get("state").asText()).isEqualTo("BROKEN");
            });
            assertThat(gateway.getManagement("/ready").status()).isEqualTo(503);
        }
    }
}
