package io.kafkagateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.testing.ConfluentClient;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Schema Registry client nobody here wrote, {@code @kafkajs/confluent-schema-registry} (Node, pinned in
 * src/test/node/registry-client), against the gateway's registry: it registers, looks up and fetches schemas, decodes
 * bytes the gateway's Confluent API wrote (read by an ordinary Kafka consumer), and the gateway decodes its bytes.
 */
@ExtendWith(KafkaClusterExtension.class)
class SchemaRegistryClientIT {

    private static final Path CLIENT = Path.of("src/test/node/registry-client");
    private static final String USER = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"User\\\",\\\"fields\\\":[{\\\"name\\\":\\\"name\\\",\\\"type\\\":\\\"string\\\"}]}";

    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;

    @BeforeAll
    static void start() throws Exception {
        installClient();
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        gateway = GatewayTester.withRegistry("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    @Test
    void theNodeClientAndTheGatewayReadEachOthersBytes() throws Exception {
        // Given: a record produced through the gateway's Confluent API, read back by an ordinary consumer
        String topic = kafka.newTopic(1);
        ConfluentClient confluent = new ConfluentClient(gateway.confluentUrl());
        Response produced = confluent.post("/topics/" + topic, "application/vnd.kafka.avro.v2+json",
                "{\"value_schema\":\"" + USER + "\",\"records\":[{\"value\":{\"name\":\"from-rest\"}}]}");
        assertThat(produced.status()).as(produced.body()).isEqualTo(200);
        int restId = produced.json().path("value_schema_id").asInt();
        byte[] written = kafka.records(topic, 1).get(0).value();

        // When: the library registers the same schema under the same subject, encodes, fetches and decodes
        JsonNode out = node(Map.of("REGISTRY_URL", gateway.registryUrl(), "SUBJECT", topic + "-value",
                "GATEWAY_BYTES", HexFormat.of().formatHex(written)));

        // Then
        assertThat(out.path("error").isMissingNode()).as(out.toString()).isTrue();
        assertThat(out.path("id").asInt()).isEqualTo(restId);
        assertThat(out.path("latestId").asInt()).isEqualTo(restId);
        assertThat(out.path("idBySchema").asInt()).isEqualTo(restId);
        assertThat(out.path("gateway").path("name").asText()).isEqualTo("from-rest");
        assertThat(out.path("roundTrip").path("name").asText()).isEqualTo("from-node");
        assertThat(out.path("encodedHex").asText()).startsWith("00" + String.format("%08x", restId));

        // and the library's bytes, written by an ordinary producer, read through the gateway
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.getBootstrapServers(),
                "key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName(),
                "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, null, HexFormat.of().parseHex(out.path("encodedHex").asText()))).get();
        }
        String group = "g-" + UUID.randomUUID();
        confluent.post("/consumers/" + group, "application/vnd.kafka.v2+json",
                "{\"name\":\"c\",\"format\":\"avro\",\"auto.offset.reset\":\"earliest\"}");
        String base = "/consumers/" + group + "/instances/c";
        confluent.post(base + "/subscription", "application/vnd.kafka.v2+json", "{\"topics\":[\"" + topic + "\"]}");
        List<String> names = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            confluent.get(base + "/records?timeout=500", "application/vnd.kafka.avro.v2+json").json()
                    .forEach(r -> names.add(r.path("value").path("name").asText()));
            return names.size() >= 2;
        });
        assertThat(names).containsExactly("from-rest", "from-node");
        confluent.delete(base);
    }

    /** Installs the pinned client from the npm registry once (npm ci); node and npm must be on the PATH. */
    private static void installClient() throws Exception {
        if (Files.isDirectory(CLIENT.resolve("node_modules/@kafkajs/confluent-schema-registry"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(CLIENT.toFile())
                .redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm ci did not finish").isTrue();
        assertThat(npm.exitValue()).as("npm ci in %s failed:\n%s", CLIENT, output).isZero();
    }

    private static JsonNode node(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", "check.js").directory(CLIENT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process node = builder.start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node did not finish").isTrue();
        String last = output.substring(output.lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }
}
