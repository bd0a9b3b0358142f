package io.kafkagateway;

import io.kafkagateway.testing.FreePorts;
import io.kafkagateway.testing.GatewayProcess;
import io.kafkagateway.testing.KafkaProbe;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fat jar as users run it: {@code java -jar kafka-gateway.jar}, in its own process, stopped with SIGTERM.
 */
@ExtendWith(KafkaClusterExtension.class)
class GatewayProcessIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<GatewayProcess> started = new ArrayList<>();

    private GatewayProcess start(Path dir, String name, List<String> jvmArgs, String... args) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(dir, name, jvmArgs, args);
        started.add(gateway);
        return gateway;
    }

    /** A test that failed half-way leaves no gateway running. */
    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (GatewayProcess gateway : started) {
            gateway.close();
        }
    }

    @Test
    void embeddedKafkaProducesThenSigtermFlushesAndExitsZero(@TempDir Path dir) throws Exception {
        // Given
        int kafkaPort = FreePorts.next();
        String[] embedded = {"--embedded-kafka", "--embedded-kafka-port", Integer.toString(kafkaPort),
                "--embedded-kafka-dir", dir.resolve("kafka").toString()};
        GatewayProcess first = start(dir, "first", List.of(), embedded);

        // When
        assertThat(first.post("/topics/foo/messages?key=bar&sync", "Good news everyone!"))
                .isEqualTo("{\"partition\":0,\"offset\":0}");
        for (int i = 0; i < 200; i++) {
            assertThat(first.post("/topics/foo/messages", "async " + i)).isEqualTo("{}");
        }
        int exit = first.terminate();

        // Then: every accepted message was flushed before exit, and the broker's data survives a restart
        assertThat(exit).as(first.output()).isZero();
        assertThat(first.output()).contains("gateway stopped", "embedded Kafka broker stopped");
        GatewayProcess second = start(dir, "second", List.of(), embedded);
        try (KafkaProbe kafka = new KafkaProbe("localhost:" + kafkaPort)) {
            assertThat(kafka.endOffsets("foo")).isEqualTo(Map.of(0, 201L));
        }
        assertThat(second.terminate()).isZero();
    }

    private String consume(int port, String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/topics/jobs/messages?group=workers" + query)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 408) {
            return null;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static long offsetOf(String message) {
        return Long.parseLong(message.replaceAll(".*\"offset\":(\\d+).*", "$1"));
    }

    /** The acceptance loop: explicit acks, kill -9, restart, and no unacknowledged message skipped. */
    @Test
    void explicitAckConsumerSurvivesAKillWithoutSkippingAnything(@TempDir Path dir) throws Exception {
        // Given: a gateway with its embedded broker, 30 jobs, and a worker acknowledging each job with the next request.
        // No periodic commit happens before the kill, so only what the gateway commits on its own protects the worker.
        Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                proxies:
                  default:
                    consumer:
                      long_polling_timeout: 1s
                      offsets_commit_interval: 1h
                      properties: {session.timeout.ms: 6000, heartbeat.interval.ms: 1000}
                """);
        int kafkaPort = FreePorts.next();
        String[] args = {"-config", config.toString(), "--embedded-kafka", "--embedded-kafka-port", Integer.toString(kafkaPort),
                "--embedded-kafka-dir", dir.resolve("kafka").toString()};
        GatewayProcess first = start(dir, "first", List.of(), args);
        for (int i = 0; i < 30; i++) {
            assertThat(first.post("/topics/jobs/messages?sync", "job " + i)).contains("\"offset\":" + i);
        }
        List<Long> seen = new ArrayList<>();
        String[] last = {consume(first.port(), "&noAck&initialOffset=earliest")};
        seen.add(offsetOf(last[0]));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String next = consume(first.port(), "&ackPartition=0&ackOffset=" + offsetOf(last[0]));
            if (next != null) {
                seen.add(offsetOf(next));
                last[0] = next;
            }
            return seen.size() >= 12;
        });
        long lastUnacked = seen.get(seen.size() - 1);

        // When: killed without warning, then started again on the same data
        first.process().destroyForcibly();
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        GatewayProcess second = start(dir, "second", List.of(), args);
        List<Long> afterRestart = new ArrayList<>();
        last[0] = null;
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            String next = last[0] == null ? consume(second.port(), "&noAck")
                    : consume(second.port(), "&ackPartition=0&ackOffset=" + offsetOf(last[0]));
            if (next != null) {
                afterRestart.add(offsetOf(next));
                last[0] = next;
            }
            return afterRestart.contains(29L);
        });
        assertThat(second.terminate()).isZero();

        // Then: every job was handed out, and the restart began at or before the one left unacknowledged
        assertThat(afterRestart.get(0)).isLessThanOrEqualTo(lastUnacked);
        java.util.Set<Long> all = new java.util.TreeSet<>(seen);
        all.addAll(afterRestart);
        assertThat(all).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 30).boxed().toList());
    }

    @Test
    void withoutTheFlagTheBrokerIsNeverLoaded(KafkaCluster cluster, @TempDir Path dir) throws Exception {
        // Given
        GatewayProcess gateway = start(dir, "plain", List.of("-verbose:class"), "-kafkaPeers", cluster.getBootstrapServers());

        // When
        String answer = gateway.get("/topics");
        int exit = gateway.terminate();

        // Then
        assertThat(answer).startsWith("[");
        assertThat(exit).isZero();
        String output = gateway.output();
        assertThat(output).contains("io.kafkagateway.Gateway").doesNotContain("kafka.server.KafkaRaftServer", "scala.");
    }

    @Test
    void badConfigExitsNonZeroWithOneMessage(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "proxies: {default: {producer: {compression: brotli}}}\n");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", GatewayProcess.JAR.toAbsolutePath().toString(), "-config", config.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output.strip()).isEqualTo("kafka-gateway: invalid configuration: proxies.default.producer.compression:"
                + " 'brotli' is not allowed; use one of none, gzip, snappy, lz4, zstd");
    }
}
