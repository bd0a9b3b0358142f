package io.kafkagateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Topic listing and topic metadata in Kafka-Pixy's shapes, read from a real broker's admin API. */
@ExtendWith(KafkaClusterExtension.class)
class MetadataIT {

    static KafkaCluster cluster;
    static GatewayTester gateway;

    @BeforeAll
    static void start() {
        try (KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers())) {
            kafka.createTopic("beta", 1, Map.of());
            kafka.createTopic("alpha", 4, Map.of("retention.ms", "3600000", "cleanup.policy", "compact"));
        }
        gateway = GatewayTester.start("""
                proxies:
                  main: {kafka: {seed_peers: [%1$s]}}
                  other: {kafka: {seed_peers: [%1$s]}}
                """.formatted(cluster.getBootstrapServers()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void listsTopicNamesSortedWithoutInternalTopics() throws Exception {
        // Given: committing a group offset creates the internal __consumer_offsets topic
        try (KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers())) {
            kafka.admin().alterConsumerGroupOffsets("g", Map.of(new TopicPartition("alpha", 0), new OffsetAndMetadata(0)))
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(kafka.admin().listTopics(new ListTopicsOptions().listInternal(true)).names().get())
                    .contains("__consumer_offsets");
        }

        // When
        Response response = gateway.get("/topics");

        // Then
        assertThat(response.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        response.json().forEach(n -> names.add(n.asText()));
        assertThat(names).containsExactly("alpha", "beta");
    }

    @Test
    void withPartitionsListsLeaderReplicasAndIsr() {
        JsonNode topics = gateway.get("/topics?withPartitions").json();
        assertThat(topics.fieldNames()).toIterable().containsExactly("alpha", "beta");
        JsonNode alpha = topics.get("alpha");
        assertThat(alpha.has("config")).isFalse();
        assertThat(alpha.get("partitions")).hasSize(4);
        JsonNode p3 = alpha.get("partitions").get(3);
        assertThat(p3.get("partition").asInt()).isEqualTo(3);
        assertThat(p3.get("leader").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(p3.get("replicas")).hasSize(1);
        assertThat(p3.get("isr")).hasSize(1);
    }

    @Test
    void withConfigShowsTheTopicsOwnOverridesOnly() {
        JsonNode topics = gateway.get("/topics?withConfig").json();
        JsonNode alpha = topics.get("alpha");
        assertThat(alpha.has("partitions")).isFalse();
        assertThat(alpha.get("config").get("version").asInt()).isEqualTo(1);
        assertThat(alpha.get("config").get("config").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("retention.ms", "cleanup.policy");
        assertThat(alpha.get("config").get("config").get("retention.ms").asText()).isEqualTo("3600000");
        assertThat(topics.get("beta").get("config").get("config").isEmpty()).isTrue();
    }

    @Test
    void bothFlagsTogether() {
        JsonNode beta = gateway.get("/clusters/other/topics?withConfig&withPartitions").json().get("beta");
        assertThat(beta.has("config")).isTrue();
        assertThat(beta.get("partitions")).hasSize(1);
    }

    @Test
    void oneTopicAlwaysHasItsConfigAndPartitionsOnRequest() {
        JsonNode plain = gateway.get("/topics/alpha").json();
        assertThat(plain.get("config").get("config").get("cleanup.policy").asText()).isEqualTo("compact");
        assertThat(plain.has("partitions")).isFalse();

        JsonNode detailed = gateway.get("/clusters/main/topics/alpha?withPartitions").json();
        assertThat(detailed.get("partitions")).hasSize(4);
    }

    @Test
    void malformedQueryStringIs400() {
        String answer = gateway.raw("GET /topics?withPartitions&x=%zz HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("{\"error\":\"malformed query string");
    }

    @Test
    void invalidTopicNameIs400() {
        Response response = gateway.get("/topics/" + "x".repeat(300));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith("invalid topic name");
    }

    @Test
    void unknownTopicIs404() {
        Response response = gateway.get("/topics/nope");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.error()).isEqualTo("Unknown topic: nope");
    }

    @Test
    void unknownClusterIs400() {
        Response list = gateway.get("/clusters/nope/topics");
        Response one = gateway.get("/clusters/nope/topics/alpha");
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.error()).isEqualTo("proxy `nope` does not exist");
        assertThat(one.status()).isEqualTo(400);
    }

    @Test
    void pingAnswersPong() {
        Response response = gateway.get("/_ping");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pong");
    }

    @Test
    void unknownEndpointsAndMethodsAnswerJsonErrors() {
        Response missing = gateway.get("/nowhere");
        Response wrongMethod = gateway.post("/topics", "text/plain", "x");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("no such endpoint: GET /nowhere");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.error()).contains("POST");
    }

    @Test
    void requestWithoutHostHeaderIs400NotAServerError() throws Exception {
        // HTTP/1.1 requires Host; the JDK client always sends one, so speak HTTP on a plain socket.
        java.net.URI base = java.net.URI.create(gateway.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write("GET /_ping HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("{\"error\":\"For HTTP/1.x requests, the 'Host' header is required\"}");
        }
    }

    @Test
    void managementPortAnswersHealthAndReadiness() {
        assertThat(gateway.getManagement("/health").json().get("status").asText()).isEqualTo("UP");
        Response ready = gateway.getManagement("/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("READY");
    }
}
