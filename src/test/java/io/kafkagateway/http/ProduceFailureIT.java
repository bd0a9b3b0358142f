package io.kafkagateway.http;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.api.TerminationStyle;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What producers see when Kafka stops answering: bounded waits, a bounded queue, and lost async messages counted. */
@ExtendWith(KafkaClusterExtension.class)
class ProduceFailureIT {

    KafkaCluster cluster;
    GatewayTester gateway;
    String topic;

    @BeforeEach
    void start() {
        try (KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers())) {
            topic = kafka.newTopic(1);
        }
        gateway = GatewayTester.forCluster(cluster.getBootstrapServers(), """
                producer:
                  channel_buffer_size: 2
                  timeout: 2s
                  properties: {delivery.timeout.ms: 3000, request.timeout.ms: 1000, linger.ms: 0}
                """);
        // The topic is known and the producer has its metadata before the broker goes away.
        assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "warm-up").status()).isEqualTo(200);
        cluster.stopNodes(node -> true, TerminationStyle.ABRUPT);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void fullProducerQueueIs429AndLostAsyncMessagesAreCounted() {
        // When
        Response first = gateway.post("/topics/" + topic + "/messages", "text/plain", "in flight 1");
        Response second = gateway.post("/topics/" + topic + "/messages", "text/plain", "in flight 2");
        Response third = gateway.post("/topics/" + topic + "/messages", "text/plain", "no room");

        // Then
        assertThat(first.body()).isEqualTo("{}");
        assertThat(second.body()).isEqualTo("{}");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.header("Retry-After")).isEqualTo("1");
        assertThat(third.error()).contains("producer.channel_buffer_size");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.getManagement("/metrics").body())
                .containsPattern("kgw_produce_async_failures_total\\{cluster=\"default\",error=\"[a-z_]+\"} 2\\.0"));
        assertThat(gateway.post("/topics/" + topic + "/messages", "text/plain", "room again").status())
                .as("the queue frees up once Kafka has given up on the records").isEqualTo(200);
    }

    @Test
    void syncProduceFailsWithinTheDeliveryTimeout() {
        // When
        long started = System.nanoTime();
        Response response = gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "m");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // Then
        assertThat(response.status()).as(response.toString()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.error()).startsWith("Kafka did not answer in time");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }
}
