package io.kafkagateway.grpc;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.HostPort;
import io.kafkagateway.grpc.v1.KafkaGatewayGrpcService;
import io.kafkagateway.net.FlushCoalescing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.grpc.reflection.ReflectionService;
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
    private HttpServer server;

    public GrpcApiVerticle(GatewayConfig config) {
        this.config = config;
    }

    @Override
    public Future<?> start() {
        ClusterClient clusters = new ClusterClient(vertx.eventBus(), config);
        GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(config.grpcMaxRequestBytes()));
        PixyCalls.bind(grpc, new PixyService(clusters));
        grpc.addService(KafkaGatewayGrpcService.of(new StreamService(vertx, clusters)));
        grpc.addService(ReflectionService.v1());
        HttpServerOptions options = new HttpServerOptions();
        if (config.tls().enabled()) {
            options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(config.tls().certificatePath()).setKeyPath(config.tls().keyPath()));
        }
        HostPort address = HostPort.parse(config.grpcAddr());
        server = vertx.createHttpServer(options).connectionHandler(FlushCoalescing::install).requestHandler(grpc);
        return server.listen(address.port(), address.host()).recover(failure -> Future.failedFuture(
                new IllegalStateException("cannot listen on grpc_addr " + address + ": " + failure.getMessage(), failure)));
    }

    /** Stops accepting; calls under way get up to the longest producer shutdown timeout to finish. */
    @Override
    public Future<?> stop() {
        Duration grace = config.proxies().values().stream().map(c -> c.producer().shutdownTimeout())
                .max(Duration::compareTo).orElse(Duration.ofSeconds(30));
        return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
