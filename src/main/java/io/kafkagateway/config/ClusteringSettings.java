package io.kafkagateway.config;

import java.util.regex.Pattern;

/**
 * The {@code cluster} section: this gateway among others. {@code instance_id} names this instance, stably across
 * restarts: it is the static group membership ({@code group.instance.id}) of every consumer group the gateway joins,
 * so a gateway back within the session timeout gets its partitions back without a rebalance. Without it the id is the
 * host name and the REST port ({@link InstanceIdentity}).
 */
public record ClusteringSettings(String instanceId) {

    public static final ClusteringSettings DEFAULTS = new ClusteringSettings(null);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public ClusteringSettings {
        instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId.trim();
        if (instanceId != null && !ID.matcher(instanceId).matches()) {
            throw new IllegalConfigurationException("cluster.instance_id", "'" + instanceId
                    + "' may use only letters, digits, '.', '_' and '-' (at most 200)");
        }
    }
}
