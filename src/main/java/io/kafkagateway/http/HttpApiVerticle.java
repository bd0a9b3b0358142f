package io.kafkagateway.http;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.HostPort;
import io.kafkagateway.net.ListenerGuards;
import io.kafkagateway.net.Listeners;
import io.kafkagateway.ws.WebSocketRoutes;
import io.kafkagateway.ws.WebSocketShared;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code http-api} verticle: Kafka-Pixy's REST API on {@code tcp_addr} (and {@code unix_addr} when set). Deployed
 * once per event loop; the instances share the listening sockets. Routes and translates only; the cluster verticles
 * decide.
 */
public final class HttpApiVerticle extends VerticleBase {

    /** Form encoding can triple a message; the exact per-cluster limit is enforced by the cluster verticle. */
    private static final int FORM_OVERHEAD = 3;

    private final GatewayConfig config;
    private final List<HttpServer> servers = new ArrayList<>();

    private final int instances;
    private final WebSocketShared webSockets;
    private final ListenerGuards guards;

    /**
     * {@code instances}: how many of these verticles share the listeners (they split the body budget);
     * {@code webSockets}: the WebSocket dialects' shared state, served here unless they have their own listener.
     */
    public HttpApiVerticle(GatewayConfig config, int instances, WebSocketShared webSockets, ListenerGuards guards) {
        this.config = config;
        this.guards = guards;
        this.instances = instances;
        this.webSockets = webSockets;
    }

    @Override
    public Future<?> start() {
        long maxMessage = config.proxies().values().stream()
                .mapToLong(c -> c.producer().maxMessageBytes()).max().orElse(1_000_000);
        BodyBudget budget = new BodyBudget(config.maxRequestBytesInFlight() / instances, maxMessage, maxMessage * FORM_OVERHEAD);
        ClusterClient clusters = new ClusterClient(vertx.eventBus(), config);
        Router router = RestApi.router(vertx, clusters, budget, maxMessage * FORM_OVERHEAD);
        // Without the WebSockets here, no connection needs Netty's WebSocket compression handlers.
        HttpServerOptions options = serverOptions((int) Math.min(Integer.MAX_VALUE, maxMessage * FORM_OVERHEAD))
                .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
        if (!config.websocket().ownListener()) {
            WebSocketRoutes.mount(router, vertx, config, clusters, webSockets);
            WebSocketRoutes.limits(options, config.websocket());
        }
        HostPort tcp = HostPort.parse(config.tcpAddr());
        Future<HttpServer> listening = listen(options, router, "tcp_addr", SocketAddress.inetSocketAddress(tcp.port(), tcp.host()));
        if (config.unixAddr() != null) {
            listening = listening.compose(ok ->
                    listen(options, router, "unix_addr", SocketAddress.domainSocketAddress(config.unixAddr())));
        }
        return listening;
    }

    private Future<HttpServer> listen(HttpServerOptions options, Router router, String key, SocketAddress address) {
        HttpServer server = vertx.createHttpServer(options).requestHandler(router)
                .connectionHandler(connection -> guards.accept(key, connection));
        servers.add(server);
        return server.listen(address).recover(failure -> Future.failedFuture(new IllegalStateException(
                "cannot listen on " + key + " " + address + ": " + failure.getMessage(), failure)));
    }

    private HttpServerOptions serverOptions(int maxFormBytes) {
        return Listeners.withTls(new HttpServerOptions()
                .setMaxFormAttributeSize(maxFormBytes)
                .setMaxFormBufferedBytes(maxFormBytes), config.tls(), false);
    }

    /** Stops accepting, lets requests in progress finish for up to the longest producer shutdown timeout. */
    @Override
    public Future<?> stop() {
        Duration grace = Listeners.shutdownGrace(config);
        List<Future<Void>> stopped = servers.stream()
                .map(server -> server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS))
                .toList();
        return Future.join(stopped);
    }
}
