package io.kafkagateway.embedded;

import io.kafkagateway.config.EmbeddedKafkaSettings;
import io.kafkagateway.config.IllegalConfigurationException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** The embedded broker: formats its data directory on first use, then runs Kafka's own KRaft server. */
final class KRaftBroker implements EmbeddedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(KRaftBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final int port;

    private KRaftBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedKafka start(EmbeddedKafkaSettings settings) throws Exception {
        Path logDir = Path.of(settings.dataDir()).toAbsolutePath().resolve("kraft-logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new IllegalConfigurationException("embedded_kafka.data_dir", "cannot create '" + logDir + "': " + e.getMessage());
        }
        int port = settings.port() == 0 ? freePort() : requireFree(settings.port());
        int controllerPort = freePort();
        KafkaConfig config = new KafkaConfig(properties(logDir, port, controllerPort));
        format(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        LOG.atInfo().addKeyValue("bootstrap", "localhost:" + port).addKeyValue("data_dir", logDir.toString())
                .log("embedded Kafka broker started");
        return new KRaftBroker(server, port);
    }

    private static Properties properties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        return p;
    }

    /** Writes the KRaft metadata on first start; an already formatted directory is left as it is. */
    private static void format(Path logDir) throws Exception {
        Formatter formatter = new Formatter()
                .setClusterId(clusterId(logDir))
                .setNodeId(NODE_ID)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(List.of(logDir.toString()))
                .setIgnoreFormatted(true)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()));
        formatter.run();
    }

    /** The id the directory was formatted with, so a restart keeps its data; a new id for a new directory. */
    private static String clusterId(Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (Files.isRegularFile(meta)) {
            Properties stored = new Properties();
            try (var in = Files.newInputStream(meta)) {
                stored.load(in);
            }
            String id = stored.getProperty("cluster.id");
            if (id != null && !id.isBlank()) {
                return id;
            }
        }
        return Uuid.randomUuid().toString();
    }

    private static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new IllegalConfigurationException("embedded_kafka.port", "port " + port + " is already in use (is a"
                    + " Kafka broker running?); pick another with --embedded-kafka-port, or 0 for any free port");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded broker", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.atInfo().log("embedded Kafka broker stopped");
    }
}
