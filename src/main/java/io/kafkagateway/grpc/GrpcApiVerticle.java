package io.kafkagateway.grpc;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.HostPort;
import io.kafkagateway.grpc.v1.KafkaGatewayGrpcService;
import io.kafkagateway.net.FlushCoalescing;
import io.kafkagateway.net.ListenerGuards;
import io.kafkagateway.net.Listeners;
import io.kafkagateway.net.StreamResetGuard;
import io.kafkagateway.stream.OpenSessions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc-api} verticle: Kafka-Pixy's gRPC service, the streaming service and server reflection on
 * {@code grpc_addr}. Deployed
 * once per event loop; the instances share the listening socket. Translates only; the cluster verticles decide.
 */
public final class GrpcApiVerticle extends VerticleBase {

    private final GatewayConfig config;
    private final OpenSessions sessions;
    private final ListenerGuards guards;
    private HttpServer server;

    /** {@code sessions}: the gateway's open sessions, which consume streams join so that a drain can wind them down. */
    public GrpcApiVerticle(GatewayConfig config, OpenSessions sessions, ListenerGuards guards) {
        this.config = config;
        this.sessions = sessions;
        this.guards = guards;
    }

    @Override
    public Future<?> start() {
        ClusterClient clusters = new ClusterClient(vertx.eventBus(), config);
        // gRPC over HTTP/2 only: no gRPC-Web, no transcoding (application/json got a 500 for want of a transcoder).
        GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(config.grpcMaxRequestBytes())
                .removeEnabledProtocol(GrpcProtocol.WEB).removeEnabledProtocol(GrpcProtocol.WEB_TEXT)
                .removeEnabledProtocol(GrpcProtocol.TRANSCODING));
        GrpcMessages messages = new GrpcMessages(vertx, config.grpcMaxRequestBytes());
        PixyCalls.bind(grpc, messages, new PixyService(clusters));
        grpc.addService(KafkaGatewayGrpcService.of(new StreamService(vertx, clusters, config.grpcMaxCredits(), sessions, messages)));
        grpc.addService(ReflectionService.v1());
        HttpServerOptions options = Listeners.withTls(new HttpServerOptions(), config.tls(), true);
        HostPort address = HostPort.parse(config.grpcAddr());
        server = vertx.createHttpServer(options).connectionHandler(connection -> {
            if (guards.accept("grpc_addr", connection)) {
                StreamResetGuard.install(connection);
                FlushCoalescing.install(connection);
            }
        }).requestHandler(new GrpcGate(grpc));
        return server.listen(address.port(), address.host()).recover(failure -> Future.failedFuture(
                new IllegalStateException("cannot listen on grpc_addr " + address + ": " + failure.getMessage(), failure)));
    }

    /** Stops accepting; calls under way get up to the longest producer shutdown timeout to finish. */
    @Override
    public Future<?> stop() {
        Duration grace = Listeners.shutdownGrace(config);
        return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
