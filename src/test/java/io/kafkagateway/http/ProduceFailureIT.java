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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What producers see when Kafka stops answering: waits bounded by {@code producer.timeout}, in-flight records bounded
 * by count and by bytes, and every record answered as accepted either delivered or counted as lost. Once every broker
 * is gone the producer may keep the topic's metadata (records are accepted, then expire) or drop it (records wait for
 * it, then fail): both are right, and the tests hold for either.
 */
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
        String peers = "kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}";
        gateway = GatewayTester.start("""
                proxies:
                  few:
                    %1$s
                    producer: {channel_buffer_size: 2, %2$s, properties: {%3$s}}
                  small:
                    %1$s
                    producer: {%2$s, properties: {buffer.memory: 1048576, %3$s}}
                """.formatted(peers, "timeout: 2s, shutdown_timeout: 1s",
                "delivery.timeout.ms: 3000, request.timeout.ms: 1000, linger.ms: 0"));
        // The topic is known to the gateway before the broker goes away.
        assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "warm-up").status()).isEqualTo(200);
        cluster.stopNodes(node -> true, TerminationStyle.ABRUPT);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static List<Response> all(List<CompletableFuture<Response>> requests) {
        return requests.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void moreRecordsThanChannelBufferSizeAre429AndEveryAcceptedOneIsDeliveredOrCounted() {
        // When: three at once, room for two
        List<Response> responses = all(Stream.of("a", "b", "c")
                .map(m -> gateway.postAsync("/clusters/few/topics/" + topic + "/messages", "text/plain", m)).toList());

        // Then
        assertThat(responses).extracting(Response::status).filteredOn(s -> s == 429).hasSize(1);
        assertThat(responses).extracting(Response::status).filteredOn(s -> s != 429).allMatch(s -> s == 200 || s == 503);
        Response refused = responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.error()).contains("producer.channel_buffer_size");
        responses.stream().filter(r -> r.status() == 503)
                .forEach(r -> assertThat(r.error()).startsWith("Kafka did not answer in time"));
        long accepted = responses.stream().filter(r -> r.status() == 200).count();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> lostCount("few") == accepted);
        assertThat(gateway.post("/clusters/few/topics/" + topic + "/messages", "text/plain", "room again").status())
                .as("records that failed no longer hold their places").isNotEqualTo(429);
    }

    private double lostCount(String cluster) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("kgw_produce_async_failures_total\\{cluster=\"" + cluster + "\",error=\"[a-z_]+\"} ([0-9.E]+)")
                .matcher(gateway.getManagement("/metrics").body());
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    @Test
    void bytesInFlightAreBoundedByTheProducersBuffer() {
        // When: 400 KB records against a 1 MiB buffer
        String big = "x".repeat(400_000);
        List<Response> responses = all(Stream.of(1, 2, 3)
                .map(i -> gateway.postAsync("/clusters/small/topics/" + topic + "/messages", "text/plain", big)).toList());

        // Then
        assertThat(responses).extracting(Response::status).filteredOn(s -> s == 429).hasSize(1);
        assertThat(responses).extracting(Response::status).filteredOn(s -> s != 429).allMatch(s -> s == 200 || s == 503);
        assertThat(responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow().error())
                .contains("buffer.memory");
    }

    @Test
    void syncProduceFailsWithinProducerTimeout() {
        // When
        long started = System.nanoTime();
        Response response = gateway.post("/clusters/few/topics/" + topic + "/messages?sync", "text/plain", "m");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // Then
        assertThat(response.status()).as(response.toString()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.error()).startsWith("Kafka did not answer in time");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }
}
