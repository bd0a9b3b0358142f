package io.kafkagateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fat jar as users run it, {@code java -jar kafka-gateway.jar}, in its own process: REST on a free loopback port,
 * gRPC off, the management port on another free port, output in a log file.
 */
public final class GatewayProcess implements AutoCloseable {

    public static final Path JAR = Path.of(System.getProperty("gateway.jar", "target/kafka-gateway.jar"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;

    private GatewayProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts the jar with {@code jvmArgs} and gateway {@code args}, and waits until it answers. */
    public static GatewayProcess start(Path dir, String name, List<String> jvmArgs, String... args) throws IOException {
        return start(dir, name, FreePorts.next(), FreePorts.next(), jvmArgs, args);
    }

    /** As {@link #start(Path, String, List, String...)} on given ports (a restarted gateway takes its old ones). */
    public static GatewayProcess start(Path dir, String name, int port, int management, List<String> jvmArgs,
                                       String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(),
                "-tcpAddr", "127.0.0.1:" + port, "-grpcAddr=", "--management-addr=127.0.0.1:" + management));
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--confluent-addr"))) {
            command.add("--confluent-addr="); // several gateways on one host: each would take Confluent's port 8082
        }
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--schema-registry-addr"))) {
            command.add("--schema-registry-addr="); // and the registry's 8081
        }
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GatewayProcess gateway = new GatewayProcess(process, log, port, management);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as("gateway exited early:\n%s", gateway.output()).isTrue();
            return gateway.answers();
        });
        return gateway;
    }

    private boolean answers() {
        try {
            return get("/_ping").equals("pong");
        } catch (Exception notYet) {
            return false;
        }
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    public String get(String path) throws IOException, InterruptedException {
        return send(port, HttpRequest.newBuilder(URI.create(baseUrl() + path)));
    }

    public String getManagement(String path) throws IOException, InterruptedException {
        return send(managementPort, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)));
    }

    public String post(String path, String body) throws IOException, InterruptedException {
        return send(port, HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String send(int port, HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Kills the process if it still runs (a test that failed before stopping it leaves nothing behind). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, as {@code kill} and container runtimes send it; answers the exit status. */
    public int terminate() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        return process.exitValue();
    }
}
