package io.kafkagateway.peers;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.kafkagateway.config.ClusteringSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Starts the Vert.x instance of a clustered gateway: Hazelcast finds the other gateways by a TCP join to
 * {@code cluster.members} (or, with {@code kubernetes_service}, through the Kubernetes API), binds only to
 * {@code cluster.host}, never multicasts and never reports usage; the event bus between gateways listens on
 * {@code cluster.host}:{@code cluster.port}. Membership is Hazelcast's; Kafka still decides who owns what.
 */
public final class PeerCluster {

    /** The Hazelcast cluster name: gateways join only gateways. */
    static final String NAME = "kafka-gateway";

    private PeerCluster() {
    }

    /** A clustered Vert.x with {@code options}, once this gateway has joined the others. */
    public static Future<Vertx> start(VertxOptions options, ClusteringSettings settings) {
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(settings));
        boolean anyAddress = settings.host().equals("0.0.0.0");
        EventBusOptions bus = new EventBusOptions().setHost(settings.host()).setPort(settings.port());
        if (anyAddress) {
            bus.setClusterPublicHost(localAddress());
        }
        options.setEventBusOptions(bus);
        return Vertx.builder().with(options).withClusterManager(manager).buildClustered();
    }

    /** The gateways this one sees, itself included; 1 before it joined. */
    public static int members(Vertx vertx) {
        if (vertx instanceof io.vertx.core.internal.VertxInternal internal && internal.clusterManager() != null) {
            return internal.clusterManager().getNodes().size();
        }
        return 1;
    }

    static Config hazelcast(ClusteringSettings settings) {
        Config config = new Config();
        config.setClusterName(NAME);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // A gateway that vanished (kill -9, a lost host) is dropped within Kafka's session timeout, so that requests
        // stop going to it by the time its partitions move.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.discoveryPort()).setPortAutoIncrement(false);
        if (!settings.host().equals("0.0.0.0")) {
            config.setProperty("hazelcast.socket.bind.any", "false");
            network.getInterfaces().setEnabled(true).addInterface(settings.host());
            network.setPublicAddress(settings.host() + ":" + settings.discoveryPort());
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (settings.kubernetesService() != null) {
            join.getKubernetesConfig().setEnabled(true).setProperty("service-name", settings.kubernetesService());
        } else {
            join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        }
        return config;
    }

    private static String localAddress() {
        try {
            return java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
