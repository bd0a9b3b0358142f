package io.kafkagateway.kafka;

import io.kafkagateway.core.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, without blocking, whether a produce to a topic may go to the producer. The Java producer blocks its
 * sending thread for up to {@code max.block.ms} waiting for metadata of a topic that does not exist, which would
 * stall every other topic; so a topic is admitted only if it is known to exist or the brokers will create it.
 * Confined to the owning verticle's event loop.
 */
final class TopicGuard {

    private static final Logger LOG = LoggerFactory.getLogger(TopicGuard.class);
    private static final int MAX_CONCURRENT_LOOKUPS = 1024;

    private final String cluster;
    private final Admin admin;
    private final Context context;
    private final Map<String, Future<Boolean>> lookups = new HashMap<>();
    private Set<String> known = Set.of();
    private boolean brokersCreateTopics = true;

    TopicGuard(String cluster, Admin admin, Context context) {
        this.cluster = cluster;
        this.admin = admin;
        this.context = context;
    }

    /** Succeeds when a record for {@code topic} may be handed to the producer; fails 404 when the topic is missing. */
    Future<Void> admit(String topic) {
        if (known.contains(topic) || brokersCreateTopics) {
            return Future.succeededFuture();
        }
        return exists(topic).compose(exists -> exists
                ? Future.succeededFuture()
                : Future.failedFuture(GatewayException.unknownTopic(topic)));
    }

    /** Whether {@code topic} is known to exist (so its name is valid). */
    boolean known(String topic) {
        return known.contains(topic);
    }

    /** Records that a produce to {@code topic} succeeded, so it is admitted without a lookup from now on. */
    void remember(String topic) {
        if (!known.contains(topic)) {
            Set<String> updated = new HashSet<>(known);
            updated.add(topic);
            known = updated;
        }
    }

    /** Reloads the topic list and whether the brokers create topics on first use. */
    Future<Void> refresh() {
        Future<Set<String>> names = KafkaFutures.on(context, admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
        Future<Boolean> autoCreate = KafkaFutures.on(context, admin.describeCluster().nodes()).compose(this::autoCreateEnabled);
        return Future.all(names, autoCreate).map(all -> {
            known = Set.copyOf(names.result());
            brokersCreateTopics = autoCreate.result();
            return null;
        });
    }

    private Future<Boolean> exists(String topic) {
        Future<Boolean> pending = lookups.get(topic);
        if (pending != null) {
            return pending;
        }
        if (lookups.size() >= MAX_CONCURRENT_LOOKUPS) {
            return Future.failedFuture(GatewayException.throttled("too many lookups of unknown topics in progress"));
        }
        Future<Boolean> lookup = KafkaFutures.on(context, admin.describeTopics(List.of(topic)).allTopicNames())
                .map(found -> {
                    remember(topic);
                    return true;
                })
                .recover(failure -> failure instanceof UnknownTopicOrPartitionException
                        ? Future.succeededFuture(false)
                        : Future.failedFuture(failure));
        lookups.put(topic, lookup);
        lookup.onComplete(done -> lookups.remove(topic));
        return lookup;
    }

    private Future<Boolean> autoCreateEnabled(java.util.Collection<Node> nodes) {
        if (nodes.isEmpty()) {
            return Future.succeededFuture(true);
        }
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
        return KafkaFutures.on(context, admin.describeConfigs(List.of(broker)).all())
                .map(configs -> {
                    Config config = configs.get(broker);
                    ConfigEntry entry = config == null ? null : config.get("auto.create.topics.enable");
                    return entry == null || Boolean.parseBoolean(entry.value());
                })
                .recover(failure -> {
                    LOG.atWarn().addKeyValue("cluster", cluster).addKeyValue("error", failure.toString())
                            .log("cannot read broker config auto.create.topics.enable; assuming topics are created on first use");
                    return Future.succeededFuture(true);
                });
    }
}
