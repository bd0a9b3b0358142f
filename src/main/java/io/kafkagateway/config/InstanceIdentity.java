package io.kafkagateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Who this gateway is among the members of the groups it joins: {@code cluster.instance_id} when configured, else the
 * host name and the REST port (unique on a host, stable across restarts there). {@code configured}: the operator gave
 * the id, and so promises it comes back; only then does a stopping gateway stay in its groups for the session timeout.
 */
public record InstanceIdentity(String id, boolean configured) {

    /** Resolves the identity of a gateway with {@code config}; may look up the host name. */
    public static InstanceIdentity of(GatewayConfig config) {
        String configured = config.cluster().instanceId();
        if (configured != null) {
            return new InstanceIdentity(configured, true);
        }
        return new InstanceIdentity(sanitize(hostName()) + "-" + HostPort.parse(config.tcpAddr()).port(), false);
    }

    /** The static member id of this gateway in the groups of cluster {@code cluster} (names are unique per gateway). */
    public String groupInstanceId(String cluster) {
        return id + "-" + cluster;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "gateway";
        }
    }

    private static String sanitize(String host) {
        String clean = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return clean.length() > 150 ? clean.substring(0, 150) : clean;
    }
}
