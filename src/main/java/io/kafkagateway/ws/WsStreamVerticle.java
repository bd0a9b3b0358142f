package io.kafkagateway.ws;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.HostPort;
import io.kafkagateway.net.ListenerGuards;
import io.kafkagateway.net.Listeners;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;

/**
 * The {@code ws-stream} verticle: the WebSocket dialects on their own listener ({@code websocket.addr}); without one
 * they are served by the http-api verticles on the REST port. Deployed once per event loop; the instances share the
 * listening socket. Translates only; the cluster verticles decide.
 */
public final class WsStreamVerticle extends VerticleBase {

    private final GatewayConfig config;
    private final WebSocketShared shared;
    private final ListenerGuards guards;
    private HttpServer server;

    public WsStreamVerticle(GatewayConfig config, WebSocketShared shared, ListenerGuards guards) {
        this.config = config;
        this.shared = shared;
        this.guards = guards;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        WebSocketRoutes.mount(router, vertx, config, new ClusterClient(vertx.eventBus(), config), shared);
        router.errorHandler(404, ctx -> WsErrors.refuse(ctx, 404, "no WebSocket dialect is served at " + ctx.request().path()));
        HttpServerOptions options = Listeners.withTls(WebSocketRoutes.limits(new HttpServerOptions(), config.websocket()),
                config.tls(), false);
        HostPort address = HostPort.parse(config.websocket().addr());
        server = vertx.createHttpServer(options).requestHandler(router)
                .connectionHandler(connection -> guards.accept("websocket.addr", connection));
        return server.listen(address.port(), address.host()).recover(failure -> Future.failedFuture(new IllegalStateException(
                "cannot listen on websocket.addr " + config.websocket().addr() + ": " + failure.getMessage(), failure)));
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture()
                : server.shutdown(Listeners.shutdownGrace(config).toMillis(), TimeUnit.MILLISECONDS);
    }

}
