package io.kafkagateway.confluent;

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
 * The {@code confluent-api} verticle: Confluent's REST Proxy API on {@code confluent.addr}, deployed once per event
 * loop (the instances share the listening socket). Routes and translates; the cluster verticle decides.
 */
public final class ConfluentVerticle extends VerticleBase {

    private final GatewayConfig config;
    private final ListenerGuards guards;
    private HttpServer server;

    public ConfluentVerticle(GatewayConfig config, ListenerGuards guards) {
        this.config = config;
        this.guards = guards;
    }

    @Override
    public Future<?> start() {
        ClusterClient clusters = new ClusterClient(vertx.eventBus(), config);
        HostPort addr = HostPort.parse(config.confluent().addr());
        HttpServerOptions options = Listeners.withTls(new HttpServerOptions(), config.tls(), false);
        server = vertx.createHttpServer(options)
                .requestHandler(ConfluentApi.router(vertx, clusters, config.confluentCluster(), config.confluent(),
                        config.schemaRegistry().enabled() ? config.schemaRegistryCluster() : null))
                .connectionHandler(connection -> guards.accept("confluent.addr", connection));
        return server.listen(SocketAddress.inetSocketAddress(addr.port(), addr.host())).recover(failure ->
                Future.failedFuture(new IllegalStateException("cannot listen on confluent.addr " + config.confluent().addr()
                        + ": " + failure.getMessage(), failure)));
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture()
                : server.shutdown(Listeners.shutdownGrace(config).toMillis(), TimeUnit.MILLISECONDS);
    }
}
