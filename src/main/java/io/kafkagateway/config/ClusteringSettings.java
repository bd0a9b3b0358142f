package io.kafkagateway.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code cluster} section: this gateway among others. {@code instance_id} names this instance, stably across
 * restarts: it is the static group membership ({@code group.instance.id}) of every consumer group the gateway joins,
 * so a gateway back within the session timeout gets its partitions back without a rebalance. Without it the id is the
 * host name and the REST port ({@link InstanceIdentity}).
 *
 * <p>With {@code enabled}, the gateways find each other (Hazelcast: a TCP join to {@code members}, or the pods of
 * {@code kubernetes_service}; never multicast) and share a clustered event bus on {@code host}:{@code port}, so that a
 * request for a partition another gateway owns reaches it. {@code discovery_port} is this instance's Hazelcast member
 * port; {@code host} is the only address anything binds to.
 */
public record ClusteringSettings(Boolean enabled, String instanceId, String host, Integer port, List<String> members,
                                 Integer discoveryPort, String kubernetesService) {

    public static final ClusteringSettings DEFAULTS = new ClusteringSettings(null, null, null, null, null, null, null);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public ClusteringSettings {
        enabled = enabled != null && enabled;
        instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId.trim();
        if (instanceId != null && !ID.matcher(instanceId).matches()) {
            throw new IllegalConfigurationException("cluster.instance_id", "'" + instanceId
                    + "' may use only letters, digits, '.', '_' and '-' (at most 200)");
        }
        host = host == null || host.isBlank() ? "127.0.0.1" : host.trim();
        port = port == null ? 0 : port;
        if (port < 0 || port > 65535) {
            throw new IllegalConfigurationException("cluster.port", "must be 0 (any free port) to 65535, got " + port);
        }
        discoveryPort = discoveryPort == null ? 5701 : discoveryPort;
        if (discoveryPort < 1 || discoveryPort > 65535) {
            throw new IllegalConfigurationException("cluster.discovery_port", "must be 1 to 65535, got " + discoveryPort);
        }
        members = members == null ? List.of() : List.copyOf(members);
        for (int i = 0; i < members.size(); i++) {
            String member = members.get(i);
            try {
                HostPort.parse(member);
            } catch (RuntimeException e) {
                throw new IllegalConfigurationException("cluster.members[" + i + "]", "'" + member
                        + "' is not host:port (a gateway's cluster.host and cluster.discovery_port)");
            }
        }
        kubernetesService = kubernetesService == null || kubernetesService.isBlank() ? null : kubernetesService.trim();
        if (kubernetesService != null && !SERVICE.matcher(kubernetesService).matches()) {
            throw new IllegalConfigurationException("cluster.kubernetes_service", "'" + kubernetesService
                    + "' is not a Kubernetes service name (lower-case letters, digits and '-', at most 63)");
        }
        if (enabled && members.isEmpty() && kubernetesService == null) {
            throw new IllegalConfigurationException("cluster.members", "a clustered gateway needs its peers: list them"
                    + " (host:discovery_port, this one included) or set cluster.kubernetes_service");
        }
    }
}
