package io.kafkagateway.registryapi;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.HostPort;
import io.kafkagateway.net.ListenerGuards;
import io.kafkagateway.net.Listeners;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;

import java.util.concurrent.TimeUnit;

/**
 * The {@code schema-registry-api} verticle: Confluent's Schema Registry API on {@code schema_registry.addr}, deployed
 * once per event loop (the instances share the listening socket). Routes and translates; the {@code schema-registry}
 * verticle decides.
 */
public final class RegistryApiVerticle extends VerticleBase {

    private final GatewayConfig config;
    private final ListenerGuards guards;
    private HttpServer server;

    public RegistryApiVerticle(GatewayConfig config, ListenerGuards guards) {
        this.config = config;
        this.guards = guards;
    }

    @Override
    public Future<?> start() {
        ClusterClient clusters = new ClusterClient(vertx.eventBus(), config);
        HostPort addr = HostPort.parse(config.schemaRegistry().addr());
        HttpServerOptions options = Listeners.withTls(new HttpServerOptions(), config.tls(), false);
        server = vertx.createHttpServer(options)
                .requestHandler(RegistryRoutes.router(vertx, clusters, config.schemaRegistryCluster()))
                .connectionHandler(connection -> guards.accept("schema_registry.addr", connection));
        return server.listen(SocketAddress.inetSocketAddress(addr.port(), addr.host())).recover(failure ->
                Future.failedFuture(new IllegalStateException("cannot listen on schema_registry.addr "
                        + config.schemaRegistry().addr() + ": " + failure.getMessage(), failure)));
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture()
                : server.shutdown(Listeners.shutdownGrace(config).toMillis(), TimeUnit.MILLISECONDS);
    }
}
