package io.kafkagateway.registry;

import io.kafkagateway.testing.ConfluentClient;
import io.kafkagateway.testing.FreePorts;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two clustered gateways sharing one registry topic: one is the elected writer, the other passes its writes to it;
 * schemas registered through both at once get distinct ids, and each gateway answers the same for every subject.
 */
@ExtendWith(KafkaClusterExtension.class)
class SharedRegistryIT {

    private static final String SR = "application/vnd.schemaregistry.v1+json";

    static KafkaCluster cluster;
    static final List<GatewayTester> gateways = new ArrayList<>();
    static final List<ConfluentClient> registries = new ArrayList<>();

    @BeforeAll
    static void start() {
        List<Integer> ports = IntStream.range(0, 4).mapToObj(i -> FreePorts.belowEphemeral()).toList();
        String members = "127.0.0.1:" + ports.get(0) + ", 127.0.0.1:" + ports.get(1);
        List<CompletableFuture<GatewayTester>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String yaml = """
                    shutdown_drain: 0s
                    cluster: {enabled: true, instance_id: sr-%d, host: 127.0.0.1, port: %d, discovery_port: %d, members: [%s]}
                    proxies:
                      default:
                        kafka: {seed_peers: [%s]}
                    """.formatted(i, ports.get(2 + i), ports.get(i), members, cluster.getBootstrapServers());
            starting.add(CompletableFuture.supplyAsync(() -> GatewayTester.start(yaml, FreePorts.belowEphemeral(),
                    FreePorts.belowEphemeral(), FreePorts.belowEphemeral(), FreePorts.belowEphemeral())));
        }
        starting.forEach(f -> gateways.add(f.join()));
        gateways.forEach(g -> registries.add(new ConfluentClient(g.registryUrl())));
        await().atMost(Duration.ofSeconds(60)).until(() -> gateways.stream().allMatch(g ->
                g.getManagement("/metrics").body().contains("kgw_cluster_members 2.0")));
    }

    @AfterAll
    static void stop() {
        gateways.forEach(GatewayTester::close);
    }

    @Test
    void writesThroughEitherGatewayLandWithDistinctIds() {
        // Given: 20 different schemas, registered alternately through the two gateways, all at once
        String prefix = "shared-" + UUID.randomUUID().toString().substring(0, 8);
        List<CompletableFuture<Response>> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String schema = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("schema", "{\"type\":\"record\",\"name\":\"R" + i + "\",\"fields\":[]}").toString();
            ConfluentClient through = registries.get(i % 2);
            String subject = prefix + "-" + i;
            writes.add(CompletableFuture.supplyAsync(() -> through.post("/subjects/" + subject + "/versions", SR, schema)));
        }

        // When
        List<Response> answers = writes.stream().map(CompletableFuture::join).toList();

        // Then: every write landed, no id twice, and both gateways answer the same for each subject
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < answers.size(); i++) {
            Response answer = answers.get(i);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            ids.add(answer.json().path("id").asInt());
            String path = "/subjects/" + prefix + "-" + i + "/versions/latest";
            int id = answer.json().path("id").asInt();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(registries.get(0).get(path, null).json().path("id").asInt()).isEqualTo(id);
                assertThat(registries.get(1).get(path, null).json().path("id").asInt()).isEqualTo(id);
            });
        }
        assertThat(ids).hasSize(20);
    }
}
