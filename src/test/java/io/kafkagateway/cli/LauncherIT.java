package io.kafkagateway.cli;

import io.kafkagateway.testing.FreePorts;
import io.kafkagateway.testing.KafkaProbe;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting the gateway from the command line: configs that start it, and every kind that must not. */
@ExtendWith(KafkaClusterExtension.class)
class LauncherIT {

    static KafkaCluster cluster;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Launcher.Outcome launch(String... args) {
        return Launcher.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Flags that keep a test gateway on free loopback ports. */
    private static List<String> ports(int restPort) {
        return List.of("-tcpAddr", "127.0.0.1:" + restPort, "-grpcAddr=", "--management-addr=", "--confluent-addr=");
    }

    private static String[] args(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String get(int port, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String post(int port, String path, String body) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Path pixyDefaultYaml(Path dir, String seedPeer) throws IOException {
        try (InputStream in = LauncherIT.class.getResourceAsStream("/config/pixy-default.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("localhost:9092", seedPeer);
            return Files.writeString(dir.resolve("default.yaml"), yaml);
        }
    }

    @Test
    void pixyDefaultYamlStartsTheGateway(@TempDir Path dir) throws Exception {
        // Given
        Path config = pixyDefaultYaml(dir, cluster.getBootstrapServers());
        int port = FreePorts.next();

        // When
        Launcher.Outcome outcome = launch(args(ports(port), "-config", config.toString()));

        // Then
        assertThat(outcome).as(err.toString()).isInstanceOf(Launcher.Started.class);
        Launcher.Running running = ((Launcher.Started) outcome).running();
        try {
            assertThat(get(port, "/_ping")).isEqualTo("pong");
        } finally {
            running.stop();
        }
    }

    @Test
    void kafkaPeersFlagOverridesTheFile(@TempDir Path dir) throws Exception {
        Path config = pixyDefaultYaml(dir, "127.0.0.1:1");
        int port = FreePorts.next();
        Launcher.Outcome outcome = launch(args(ports(port), "-config", config.toString(), "-kafkaPeers", cluster.getBootstrapServers()));
        assertThat(outcome).as(err.toString()).isInstanceOf(Launcher.Started.class);
        ((Launcher.Started) outcome).running().stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key   | proxies: {default: {producer: {retry_maks: 3}}}         | proxies.default.producer.retry_maks: unknown key
            wrong type    | proxies: {default: {producer: {retry_max: many}}}       | proxies.default.producer.retry_max: expected a whole number, got 'many'
            bad duration  | proxies: {default: {consumer: {ack_timeout: 5 min}}}    | proxies.default.consumer.ack_timeout: '5 min' is not a duration
            no cluster    | 'proxies: {}'                                           | proxies: at least one cluster must be configured
            bad property  | proxies: {default: {producer: {properties: {linger.ms: soon}}}} | proxies.default.producer: Kafka's producer refuses these settings: Invalid value soon for configuration linger.ms
            """)
    void badConfigExitsWithStatus2AndOneMessage(String name, String yaml, String message, @TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yaml"), yaml);
        Launcher.Outcome outcome = launch("-config", config.toString());
        assertThat(outcome).isEqualTo(new Launcher.Finished(Launcher.EXIT_BAD_CONFIG));
        assertThat(err.toString().strip()).startsWith("kafka-gateway: invalid configuration: " + message);
        assertThat(err.toString().strip().lines()).as("one message").hasSize(1);
    }

    @Test
    void pixyLegalSettingsTheJavaProducerDislikesStillStart(@TempDir Path dir) throws Exception {
        // retry_max 0 and wait_for_all: the Java producer refuses idempotence without retries, so it is turned off
        Path config = Files.writeString(dir.resolve("c.yaml"), "proxies:\n  default:\n    kafka: {seed_peers: ["
                + cluster.getBootstrapServers() + "]}\n    producer: {retry_max: 0, required_acks: wait_for_all}\n");
        int port = FreePorts.next();
        Launcher.Outcome outcome = launch(args(ports(port), "-config", config.toString()));
        assertThat(outcome).as(err.toString()).isInstanceOf(Launcher.Started.class);
        try {
            assertThat(post(port, "/topics/retry-max-zero/messages?sync", "m")).contains("\"offset\":0");
        } finally {
            ((Launcher.Started) outcome).running().stop();
        }
    }

    @Test
    void missingConfigFileExitsWithStatus2() {
        assertThat(launch("-config", "/no/such.yaml")).isEqualTo(new Launcher.Finished(Launcher.EXIT_BAD_CONFIG));
        assertThat(err.toString()).contains("config file '/no/such.yaml' does not exist");
    }

    @Test
    void unreachableBrokersFailAfterTheDialTimeout(@TempDir Path dir) throws IOException {
        // Given
        int nobody = FreePorts.next();
        Path config = Files.writeString(dir.resolve("c.yaml"),
                "proxies:\n  default:\n    kafka: {seed_peers: [127.0.0.1:" + nobody + "]}\n    net: {dial_timeout: 1s}\n");

        // When
        long started = System.nanoTime();
        Launcher.Outcome outcome = launch(args(ports(FreePorts.next()), "-config", config.toString()));

        // Then
        assertThat(outcome).isEqualTo(new Launcher.Finished(Launcher.EXIT_START_FAILED));
        assertThat(err.toString()).contains("cannot reach Kafka cluster 'default' at 127.0.0.1:" + nobody
                + " within 1s (proxies.default.net.dial_timeout)");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
    }

    @Test
    void portInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Launcher.Outcome outcome = launch(args(ports(taken.getLocalPort()), "-kafkaPeers", cluster.getBootstrapServers()));
            assertThat(outcome).isEqualTo(new Launcher.Finished(Launcher.EXIT_START_FAILED));
            assertThat(err.toString()).contains("cannot listen on tcp_addr 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void helpListsEveryFlag() {
        assertThat(launch("-help")).isEqualTo(new Launcher.Finished(Launcher.EXIT_OK));
        assertThat(out.toString()).contains("-config", "-kafkaPeers", "-grpcAddr", "-tcpAddr", "-unixAddr", "-pidFile",
                "-tls", "-caCertFile", "-clientCertFile", "-clientCertKeyFile", "-insecureTLS", "--embedded-kafka");
        out.reset();
        assertThat(launch("--help")).isEqualTo(new Launcher.Finished(Launcher.EXIT_OK));
        assertThat(out.toString()).contains("-kafkaPeers");
    }

    @Test
    void unknownFlagExitsWithStatus2() {
        assertThat(launch("-kafkaPeer", "x:1")).isEqualTo(new Launcher.Finished(Launcher.EXIT_BAD_CONFIG));
        assertThat(err.toString()).contains("Unknown option", "-kafkaPeer", "-help");
    }

    @Test
    void restOverAUnixSocketAndPidFile(@TempDir Path dir) throws Exception {
        // Given
        Path socket = dir.resolve("gateway.sock");
        Path pidFile = dir.resolve("gateway.pid");
        String topic;
        try (KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers())) {
            topic = kafka.newTopic(1);
        }

        // When
        Launcher.Outcome outcome = launch(args(ports(FreePorts.next()), "-kafkaPeers", cluster.getBootstrapServers(),
                "-unixAddr", socket.toString(), "-pidFile", pidFile.toString()));

        // Then
        assertThat(outcome).as(err.toString()).isInstanceOf(Launcher.Started.class);
        Launcher.Running running = ((Launcher.Started) outcome).running();
        Vertx client = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        try {
            assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            RequestOptions produce = new RequestOptions().setServer(SocketAddress.domainSocketAddress(socket.toString()))
                    .setHost("localhost").setMethod(HttpMethod.POST).setURI("/topics/" + topic + "/messages?sync").putHeader("Content-Type", "text/plain");
            Buffer answer = client.createHttpClient().request(produce)
                    .compose(request -> request.send("over a unix socket"))
                    .compose(HttpClientResponse::body)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(answer.toString()).isEqualTo("{\"partition\":0,\"offset\":0}");
        } finally {
            client.close();
            running.stop();
        }
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void embeddedKafkaServesTheDefaultClusterAndKeepsItsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        // Given
        int port = FreePorts.next();
        String[] embedded = args(ports(port), "--embedded-kafka", "--embedded-kafka-port", "0",
                "--embedded-kafka-dir", dir.resolve("kafka").toString());

        // When
        Launcher.Outcome first = launch(embedded);
        assertThat(first).as(err.toString()).isInstanceOf(Launcher.Started.class);
        try {
            assertThat(post(port, "/topics/foo/messages?key=bar&sync", "Good news everyone!"))
                    .isEqualTo("{\"partition\":0,\"offset\":0}");
        } finally {
            ((Launcher.Started) first).running().stop();
        }
        Launcher.Outcome second = launch(embedded);

        // Then
        assertThat(second).as(err.toString()).isInstanceOf(Launcher.Started.class);
        try {
            assertThat(post(port, "/topics/foo/messages?key=bar&sync", "Again"))
                    .isEqualTo("{\"partition\":0,\"offset\":1}");
        } finally {
            ((Launcher.Started) second).running().stop();
        }
    }
}
