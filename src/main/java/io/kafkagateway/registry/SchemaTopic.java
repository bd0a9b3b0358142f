package io.kafkagateway.registry;

import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.kafka.KafkaClientProperties;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's topic through an admin client of its own: created when missing (one partition, compacted, replicated
 * as the cluster allows up to 3), checked to be compacted, and asked for its end.
 */
final class SchemaTopic {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaTopic.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final String topic;
    private final Admin admin;

    SchemaTopic(Vertx vertx, ClusterConfig cluster, String topic) {
        this.vertx = vertx;
        this.topic = topic;
        this.admin = Admin.create(KafkaClientProperties.admin(cluster));
    }

    /** Completes once the topic exists (retrying while Kafka does not answer); true when this call created it. */
    Future<Boolean> ensure() {
        return vertx.executeBlocking(this::ensureBlocking).recover(failure -> {
            LOG.atWarn().addKeyValue("topic", topic).addKeyValue("error", failure.toString())
                    .log("schema registry topic not ready; retrying");
            return vertx.timer(RETRY.toMillis()).compose(t -> ensure());
        });
    }

    private boolean ensureBlocking() throws Exception {
        if (admin.listTopics().names().get().contains(topic)) {
            checkCompacted();
            return false;
        }
        int brokers = admin.describeCluster().nodes().get().size();
        NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.of((short) Math.min(3, Math.max(1, brokers))))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(newTopic)).all().get();
            LOG.atInfo().addKeyValue("topic", topic).log("schema registry topic created");
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false; // another gateway created it meanwhile
            }
            throw e;
        }
    }

    private void checkCompacted() throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        var policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy != null && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            LOG.atWarn().addKeyValue("topic", topic).addKeyValue("cleanup_policy", policy.value())
                    .log("the schema registry topic is not compacted: retention may delete schemas; set cleanup.policy=compact");
        }
    }

    /** The topic's end offset now. */
    Future<Long> endOffset() {
        TopicPartition partition = new TopicPartition(topic, 0);
        return vertx.executeBlocking(() -> admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .get().offset());
    }

    void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
