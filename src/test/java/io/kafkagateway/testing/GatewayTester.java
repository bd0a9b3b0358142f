package io.kafkagateway.testing;

import io.kafkagateway.Gateway;
import io.kafkagateway.config.ConfigLoader;
import io.kafkagateway.config.ConfigOverrides;
import io.kafkagateway.config.GatewayConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Starts a gateway in this JVM for a test: the given YAML, with the REST and management listeners moved to free
 * loopback ports and gRPC off. Talks to it over real HTTP.
 */
public final class GatewayTester implements AutoCloseable {

    private final Gateway gateway;
    private final String baseUrl;
    private final String managementUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private GatewayTester(Gateway gateway) {
        this.gateway = gateway;
        GatewayConfig config = gateway.config();
        this.baseUrl = "http://" + config.tcpAddr();
        this.managementUrl = "http://" + config.managementAddr();
    }

    /** A gateway whose clusters are described by {@code yaml} (a whole config file); gRPC off. */
    public static GatewayTester start(String yaml) {
        return start(yaml, false);
    }

    /** A gateway described by {@code yaml}, its REST and management APIs on the given ports, gRPC off. */
    public static GatewayTester start(String yaml, int restPort, int managementPort) {
        ConfigOverrides listeners = ConfigOverrides.builder().grpcAddr("").tcpAddr("127.0.0.1:" + restPort)
                .managementAddr("127.0.0.1:" + managementPort).confluentAddr("").schemaRegistryAddr("").build();
        return start(ConfigLoader.parse(yaml, listeners).config());
    }

    /** As above, with the Confluent API on {@code confluentPort}. */
    public static GatewayTester start(String yaml, int restPort, int managementPort, int confluentPort) {
        ConfigOverrides listeners = ConfigOverrides.builder().grpcAddr("").tcpAddr("127.0.0.1:" + restPort)
                .managementAddr("127.0.0.1:" + managementPort).confluentAddr("127.0.0.1:" + confluentPort).schemaRegistryAddr("").build();
        return start(ConfigLoader.parse(yaml, listeners).config());
    }

    /** As above, with the Schema Registry API on {@code registryPort} too. */
    public static GatewayTester start(String yaml, int restPort, int managementPort, int confluentPort, int registryPort) {
        ConfigOverrides listeners = ConfigOverrides.builder().grpcAddr("").tcpAddr("127.0.0.1:" + restPort)
                .managementAddr("127.0.0.1:" + managementPort).confluentAddr("127.0.0.1:" + confluentPort)
                .schemaRegistryAddr("127.0.0.1:" + registryPort).build();
        return start(ConfigLoader.parse(yaml, listeners).config());
    }

    private static GatewayTester start(GatewayConfig config) {
        try {
            return new GatewayTester(Gateway.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start: " + e.getMessage(), e);
        }
    }

    /** A gateway whose clusters are described by {@code yaml}, with its gRPC API on a free port when {@code grpc}. */
    public static GatewayTester start(String yaml, boolean grpc) {
        ConfigOverrides listeners = ConfigOverrides.builder().grpcAddr(grpc ? "127.0.0.1:" + FreePorts.next() : "")
                .tcpAddr("127.0.0.1:" + FreePorts.next())
                .managementAddr("127.0.0.1:" + FreePorts.next()).confluentAddr("").schemaRegistryAddr("").build();
        return start(ConfigLoader.parse(yaml, listeners).config());
    }

    /** A gateway whose clusters are described by {@code yaml}, with the Confluent API on a free port, gRPC off. */
    public static GatewayTester withConfluent(String yaml) {
        ConfigOverrides listeners = ConfigOverrides.builder().grpcAddr("").tcpAddr("127.0.0.1:" + FreePorts.next())
                .managementAddr("127.0.0.1:" + FreePorts.next()).confluentAddr("127.0.0.1:" + FreePorts.next())
                .schemaRegistryAddr("").build();
        return start(ConfigLoader.parse(yaml, listeners).config());
    }

    /** As {@link #withConfluent}, with the Schema Registry API on a free port too. */
    public static GatewayTester withRegistry(String yaml) {
        ConfigOverrides listeners = ConfigOverrides.builder().grpcAddr("").tcpAddr("127.0.0.1:" + FreePorts.next())
                .managementAddr("127.0.0.1:" + FreePorts.next()).confluentAddr("127.0.0.1:" + FreePorts.next())
                .schemaRegistryAddr("127.0.0.1:" + FreePorts.next()).build();
        return start(ConfigLoader.parse(yaml, listeners).config());
    }

    /** The Schema Registry API's base URL; the gateway must have been started with it. */
    public String registryUrl() {
        return "http://" + gateway.config().schemaRegistry().addr();
    }

    /** The Confluent API's base URL; the gateway must have been started with it. */
    public String confluentUrl() {
        return "http://" + gateway.config().confluent().addr();
    }

    /** A gateway with one cluster, {@code default}, on {@code bootstrapServers}, plus any extra cluster settings. */
    public static GatewayTester forCluster(String bootstrapServers, String clusterSettings) {
        return start("proxies:\n  default:\n    kafka: {seed_peers: [" + bootstrapServers + "]}\n"
                + clusterSettings.indent(4));
    }

    public Gateway gateway() {
        return gateway;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The gRPC API's port; the gateway must have been started with gRPC. */
    public int grpcPort() {
        return java.net.URI.create("http://" + gateway.config().grpcAddr()).getPort();
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public Response getManagement(String path) {
        return send(HttpRequest.newBuilder(URI.create(managementUrl + path)).GET());
    }

    /** Long polls parked on {@code cluster}, as the management port reports them. */
    public long waitingRequests(String cluster) {
        return getManagement("/metrics").body().lines()
                .filter(l -> l.startsWith("kgw_consumer_waiting_requests{") && l.contains("cluster=\"" + cluster + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** POST {@code body} with the given content type (none when null) and header name/value pairs. */
    public Response post(String path, String contentType, String body, String... headerPairs) {
        return post(path, contentType, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), headerPairs);
    }

    /** POST a body of unknown length, which the client sends chunked. */
    public Response postChunked(String path, String contentType, byte[] body) {
        return post(path, contentType, HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
    }

    public Response post(String path, String contentType, HttpRequest.BodyPublisher body, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        return send(request);
    }

    /**
     * Sends {@code request} as written (an HTTP/1.1 request line and headers, for requests the JDK client refuses to
     * build) and returns what the gateway answered, status line included.
     */
    public String raw(String request) {
        URI base = URI.create(baseUrl);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GET without waiting, so that a test can have several requests in flight at once. */
    public java.util.concurrent.CompletableFuture<Response> getAsync(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Response(response.statusCode(), response.body(), response.headers()));
    }

    /** POST without waiting, so that a test can have several requests in flight at once. */
    public java.util.concurrent.CompletableFuture<Response> postAsync(String path, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Response(response.statusCode(), response.body(), response.headers()));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<InputStream> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                return new Response(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        response.headers());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            gateway.stop().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not stop", e);
        }
    }
}
