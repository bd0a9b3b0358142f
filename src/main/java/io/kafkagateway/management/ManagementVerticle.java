package io.kafkagateway.management;

import io.kafkagateway.config.HostPort;
import io.kafkagateway.kafka.ClientHealth;
import io.kafkagateway.metrics.GatewayMetrics;
import io.kafkagateway.net.ListenerGuards;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Health, readiness and Prometheus metrics on {@code management_addr}, apart from the API ports so that probes and
 * scrapes never queue behind API traffic.
 */
public final class ManagementVerticle extends VerticleBase {

    private final HostPort address;
    private final GatewayMetrics metrics;
    private final BooleanSupplier ready;
    private final ClientHealth health;
    private final ListenerGuards guards;
    private HttpServer server;

    public ManagementVerticle(HostPort address, GatewayMetrics metrics, BooleanSupplier ready, ClientHealth health,
                              ListenerGuards guards) {
        this.address = address;
        this.health = health;
        this.metrics = metrics;
        this.ready = ready;
        this.guards = guards;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> {
            boolean alive = health.alive();
            ctx.response().setStatusCode(alive ? 200 : 503);
            ctx.json(new Status(alive ? "UP" : "DOWN", health.clusters()));
        });
        router.get("/ready").handler(ctx -> {
            boolean isReady = ready.getAsBoolean();
            ctx.response().setStatusCode(isReady ? 200 : 503);
            ctx.json(new Status(isReady ? "READY" : "NOT_READY", health.clusters()));
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(router)
                .connectionHandler(connection -> guards.accept("management_addr", connection));
        return server.listen(address.port(), address.host()).recover(failure -> Future.failedFuture(
                new IllegalStateException("cannot listen on management_addr " + address + ": " + failure.getMessage(), failure)));
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The answer of {@code /health} and {@code /ready}: the verdict, and each cluster's Kafka clients. */
    record Status(String status, Map<String, ClientHealth.Status> clusters) {
    }
}
