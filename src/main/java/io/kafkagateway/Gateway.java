package io.kafkagateway;

import io.kafkagateway.bus.Addresses;
import io.kafkagateway.bus.Codecs;
import io.kafkagateway.peers.PeerCluster;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.HostPort;
import io.kafkagateway.config.IllegalConfigurationException;
import io.kafkagateway.config.InstanceIdentity;
import io.kafkagateway.grpc.GrpcApiVerticle;
import io.kafkagateway.http.HttpApiVerticle;
import io.kafkagateway.kafka.ClientHealth;
import io.kafkagateway.kafka.KafkaClientProperties;
import io.kafkagateway.kafka.KafkaClusterVerticle;
import io.kafkagateway.management.ManagementVerticle;
import io.kafkagateway.metrics.GatewayMetrics;
import io.kafkagateway.net.ListenerGuards;
import io.kafkagateway.stream.OpenSessions;
import io.kafkagateway.ws.WebSocketShared;
import io.kafkagateway.ws.WsStreamVerticle;
import io.kafkagateway.confluent.ConfluentVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running gateway: one Vert.x instance with a {@code kafka-cluster} verticle per cluster, {@code http-api}
 * verticles on every event loop and the management endpoints. Started and stopped as a whole.
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Longest wait for streaming sessions to let go (commit, offer again) once told to close. */
    private static final long SESSION_CLOSE_MILLIS = 10_000;

    /** STOPPING: draining on request; STOPPED_PENDING: {@link #stop()} is under way. */
    private enum State { STARTING, RUNNING, STOPPING, STOPPED_PENDING, STOPPED }

    private final GatewayConfig config;
    private final Vertx vertx;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final List<String> clusterDeployments = new ArrayList<>();
    private final List<String> frontEndDeployments = new ArrayList<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final Promise<Void> stopped = Promise.promise();
    private final OpenSessions sessions = new OpenSessions();
    private final ListenerGuards guards;
    private final ClientHealth clientHealth = new ClientHealth();
    private final WebSocketShared webSockets;
    private final InstanceIdentity identity;

    private Gateway(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.identity = InstanceIdentity.of(config);
        this.guards = new ListenerGuards(config.connections(), metrics);
        this.vertx = vertx;
        this.webSockets = new WebSocketShared(config.websocket(), metrics, sessions);
    }

    /** Starts a gateway; the future fails with a message a user can act on when it cannot start. */
    public static Future<Gateway> start(GatewayConfig config) {
        try {
            config.proxies().forEach(KafkaClientProperties::validate);
        } catch (IllegalConfigurationException e) {
            return Future.failedFuture(e);
        }
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(config.eventLoops());
        Future<Vertx> vertx = config.cluster().enabled()
                ? PeerCluster.start(options, config.cluster()).recover(failure -> Future.failedFuture(
                new IllegalConfigurationException("cluster", "cannot join the other gateways: " + failure.getMessage())))
                : Future.succeededFuture(Vertx.vertx(options));
        return vertx.compose(started -> {
            Gateway gateway = new Gateway(config, started);
            return gateway.deploy()
                    .map(gateway)
                    .recover(failure -> gateway.vertx.close().transform(closed -> Future.failedFuture(failure)));
        });
    }

    private Future<Void> deploy() {
        Codecs.register(vertx.eventBus());
        if (vertx.isClustered()) {
            metrics.clusterMembers(() -> PeerCluster.members(vertx));
        }
        if (config.unixAddr() != null) {
            if (!vertx.isNativeTransportEnabled()) {
                return Future.failedFuture(new IllegalConfigurationException("unix_addr", "listening on a unix socket"
                        + " needs the native transport, which is not available here: " + vertx.unavailableNativeTransportCause()));
            }
            removeStaleSocket(Path.of(config.unixAddr()));
        }
        List<Future<String>> clusters = new ArrayList<>();
        config.proxies().forEach((name, cluster) ->
                clusters.add(vertx.deployVerticle(new KafkaClusterVerticle(name, cluster, metrics,
                        config.websocket().maxConnections(), identity, clientHealth,
                        config.confluent().enabled() && name.equals(config.confluentCluster())
                                ? config.confluent().consumer() : null))));
        return Future.all(clusters)
                .onComplete(done -> clusters.stream().filter(Future::succeeded).forEach(f -> clusterDeployments.add(f.result())))
                .compose(ok -> deployRegistry())
                .compose(ok -> vertx.deployVerticle(() -> new HttpApiVerticle(config, config.eventLoops(), webSockets, guards),
                        new DeploymentOptions().setInstances(config.eventLoops())))
                .onSuccess(frontEndDeployments::add)
                .compose(ok -> deployGrpc())
                .compose(ok -> deployWebSockets())
                .compose(ok -> deployConfluent())
                .compose(ok -> deployRegistryApi())
                .compose(ok -> deployManagement())
                .compose(ok -> writePidFile())
                .onSuccess(ok -> {
                    state.compareAndSet(State.STARTING, State.RUNNING);
                    LOG.atInfo().addKeyValue("rest", config.tcpAddr()).addKeyValue("grpc", config.grpcAddr())
                            .addKeyValue("unix", config.unixAddr())
                            .addKeyValue("websocket", config.websocket().ownListener() ? config.websocket().addr() : config.tcpAddr())
                            .addKeyValue("confluent", config.confluent().addr())
                            .addKeyValue("schema_registry", config.schemaRegistry().addr())
                            .addKeyValue("management", config.managementAddr()).addKeyValue("clusters", config.proxies().keySet())
                            .addKeyValue("instance_id", identity.id())
                            .addKeyValue("peers", vertx.isClustered() ? PeerCluster.members(vertx) : 0)
                            .log("gateway started");
                });
    }

    private Future<Void> deployGrpc() {
        if (config.grpcAddr().isEmpty()) {
            return Future.succeededFuture();
        }
        return vertx.deployVerticle(() -> new GrpcApiVerticle(config, sessions, guards), new DeploymentOptions().setInstances(config.eventLoops()))
                .onSuccess(frontEndDeployments::add)
                .mapEmpty();
    }

    /** The confluent-api verticles, unless {@code confluent.addr} is empty. */
    private Future<Void> deployConfluent() {
        if (!config.confluent().enabled()) {
            return Future.succeededFuture();
        }
        return vertx.deployVerticle(() -> new ConfluentVerticle(config, guards), new DeploymentOptions().setInstances(config.eventLoops()))
                .onSuccess(frontEndDeployments::add)
                .mapEmpty();
    }

    /** The schema-registry verticle (the registry itself, in its cluster's topic), unless {@code schema_registry.addr} is empty. */
    private Future<Void> deployRegistry() {
        if (!config.schemaRegistry().enabled()) {
            return Future.succeededFuture();
        }
        // undeployed with the clusters, after the front-ends that call it
        return vertx.deployVerticle(new io.kafkagateway.registry.RegistryVerticle(config))
                .onSuccess(clusterDeployments::add)
                .mapEmpty();
    }

    /** The schema-registry-api verticles, unless {@code schema_registry.addr} is empty. */
    private Future<Void> deployRegistryApi() {
        if (!config.schemaRegistry().enabled()) {
            return Future.succeededFuture();
        }
        return vertx.deployVerticle(() -> new io.kafkagateway.registryapi.RegistryApiVerticle(config, guards),
                        new DeploymentOptions().setInstances(config.eventLoops()))
                .onSuccess(frontEndDeployments::add)
                .mapEmpty();
    }

    /** The ws-stream verticles, when the WebSocket dialects have a listener of their own. */
    private Future<Void> deployWebSockets() {
        if (!config.websocket().ownListener()) {
            return Future.succeededFuture();
        }
        return vertx.deployVerticle(() -> new WsStreamVerticle(config, webSockets, guards), new DeploymentOptions().setInstances(config.eventLoops()))
                .onSuccess(frontEndDeployments::add)
                .mapEmpty();
    }

    private Future<Void> deployManagement() {
        if (config.managementAddr().isEmpty()) {
            return Future.succeededFuture();
        }
        return vertx.deployVerticle(new ManagementVerticle(HostPort.parse(config.managementAddr()), metrics, this::ready, clientHealth, guards))
                .onSuccess(frontEndDeployments::add)
                .mapEmpty();
    }

    /** Ready to serve: started, not stopping, and every cluster's Kafka clients answering. */
    public boolean ready() {
        return state.get() == State.RUNNING && clientHealth.ready();
    }

    public GatewayConfig config() {
        return config;
    }

    /**
     * First step of stopping: readiness turns false; streaming sessions (WebSocket, gRPC consume streams) stop taking
     * messages but stay open, so that what their clients hold can still be acknowledged; then every cluster refuses
     * new work (503, with Retry-After) while it finishes what it has accepted. The listeners stay open, so clients get
     * a clear answer instead of a reset.
     */
    public Future<Void> drain() {
        state.compareAndSet(State.RUNNING, State.STOPPING);
        // Sessions first: a session told to drain abandons its parked polls, so the clusters' refusals do not end it.
        return sessions.drain().eventually(() -> Future.join(config.proxies().keySet().stream()
                .map(name -> vertx.eventBus().request(Addresses.lifecycle(name), "drain",
                        new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true)))
                .toList())).mapEmpty();
    }

    /**
     * Stops gracefully: drains for {@code shutdown_drain} (new requests get 503, readiness is false, so load balancers
     * move away; acknowledgements still count), closes the streaming sessions (what they hold unacknowledged is
     * offered again at once), closes the API ports letting requests in progress finish, then each cluster commits,
     * leaves its groups and flushes its producer for up to {@code producer.shutdown_timeout}. Safe to call more than
     * once.
     */
    public Future<Void> stop() {
        State previous = state.getAndUpdate(s -> s == State.STOPPED || s == State.STOPPED_PENDING ? s : State.STOPPED_PENDING);
        if (previous == State.STOPPED || previous == State.STOPPED_PENDING) {
            return stopped.future();
        }
        LOG.atInfo().log("gateway stopping");
        drain()
                .eventually(() -> config.shutdownDrain().isZero() ? Future.succeededFuture()
                        : vertx.timer(config.shutdownDrain().toMillis()))
                .eventually(this::closeSessions)
                .eventually(() -> undeployAll(frontEndDeployments))
                .eventually(() -> undeployAll(clusterDeployments))
                .eventually(vertx::close)
                .onComplete(done -> {
                    deletePidFile();
                    metrics.close();
                    state.set(State.STOPPED);
                    LOG.atInfo().log("gateway stopped");
                    stopped.complete();
                });
        return stopped.future();
    }

    /** Closes the streaming sessions, waiting at most {@link #SESSION_CLOSE_MILLIS} for them to let go. */
    private Future<Void> closeSessions() {
        Promise<Void> closed = Promise.promise();
        long timer = vertx.setTimer(SESSION_CLOSE_MILLIS, id -> {
            if (closed.tryComplete()) {
                LOG.atWarn().addKeyValue("open", sessions.size()).log("streaming sessions did not all let go in time");
            }
        });
        sessions.close().onComplete(done -> {
            vertx.cancelTimer(timer);
            closed.tryComplete();
        });
        return closed.future();
    }

    private Future<Void> undeployAll(List<String> deployments) {
        List<Future<Void>> undeployed = deployments.stream().map(vertx::undeploy).toList();
        return Future.join(undeployed).mapEmpty();
    }

    private Future<Void> writePidFile() {
        if (config.pidFile() == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            Files.writeString(Path.of(config.pidFile()), ProcessHandle.current().pid() + "\n");
            return null;
        });
    }

    private void deletePidFile() {
        if (config.pidFile() != null) {
            try {
                Files.deleteIfExists(Path.of(config.pidFile()));
            } catch (IOException e) {
                LOG.atWarn().addKeyValue("error", e.toString()).log("cannot delete pid file");
            }
        }
    }

    /**
     * A socket file left by a gateway that did not stop cleanly would make the bind fail; one that a running process
     * still answers on is left alone, and the bind then fails naming {@code unix_addr}.
     */
    private static void removeStaleSocket(Path socket) {
        if (!Files.exists(socket) || Files.isRegularFile(socket) || Files.isDirectory(socket)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return;
        } catch (IOException nobodyListens) {
            // stale: remove it below
        }
        try {
            Files.delete(socket);
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("error", e.toString()).log("cannot remove stale unix socket");
        }
    }
}
