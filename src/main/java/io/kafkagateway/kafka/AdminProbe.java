package io.kafkagateway.kafka;

import io.kafkagateway.core.Failures;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Asks the cluster's shared admin client, every {@link #EVERY}, for the cluster's id: an answer is UP, a timeout or
 * refusal UNREACHABLE (Kafka may come back), and a client whose thread has died BROKEN (nothing but a restart mends
 * it: every metadata, offsets and group call would fail from then on). Confined to the cluster verticle's event loop.
 */
final class AdminProbe {

    private static final Logger LOG = LoggerFactory.getLogger(AdminProbe.class);
    static final Duration EVERY = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String cluster;
    private final Admin admin;
    private final Context context;
    private final ClientHealth health;
    private ClientHealth.State last = ClientHealth.State.UP;
    private boolean probing;

    AdminProbe(String cluster, Admin admin, Context context, ClientHealth health) {
        this.cluster = cluster;
        this.admin = admin;
        this.context = context;
        this.health = health;
        health.set(cluster, ClientHealth.State.UP, null);
    }

    long start(Vertx vertx) {
        return vertx.setPeriodic(EVERY.toMillis(), id -> probe());
    }

    void probe() {
        if (probing) {
            return;
        }
        probing = true;
        KafkaFutures.on(context, admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis())).clusterId())
                .onComplete(done -> {
                    probing = false;
                    if (done.succeeded()) {
                        report(ClientHealth.State.UP, null);
                    } else {
                        Throwable cause = Failures.unwrap(done.cause());
                        report(broken(cause) ? ClientHealth.State.BROKEN : ClientHealth.State.UNREACHABLE, String.valueOf(cause));
                    }
                });
    }

    /** The admin client's thread is gone: its calls fail at once, saying so. */
    static boolean broken(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        return message.contains("thread has exited") || message.contains("not accepting new calls");
    }

    private void report(ClientHealth.State state, String reason) {
        health.set(cluster, state, reason);
        if (state != last) {
            LOG.atLevel(state == ClientHealth.State.UP ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.ERROR)
                    .addKeyValue("cluster", cluster).addKeyValue("state", state).addKeyValue("error", reason)
                    .log(state == ClientHealth.State.BROKEN ? "the Kafka admin client is broken; /health fails so that the"
                            + " gateway is restarted" : "Kafka admin client state changed");
            last = state;
        }
    }
}
