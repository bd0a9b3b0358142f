package io.kafkagateway.cli;

import io.kafkagateway.Gateway;
import io.kafkagateway.config.ConfigLoader;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.IllegalConfigurationException;
import io.kafkagateway.config.LoadedConfig;
import io.kafkagateway.embedded.EmbeddedKafka;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Turns command-line arguments into a running gateway (and embedded broker, when asked), or into an exit status and
 * one message saying what to fix.
 */
public final class Launcher {

    public static final int EXIT_OK = 0;
    public static final int EXIT_START_FAILED = 1;
    public static final int EXIT_BAD_CONFIG = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    /** Either a running application or the status to exit with. */
    public sealed interface Outcome permits Started, Finished {
    }

    public record Started(Running running) implements Outcome {
    }

    public record Finished(int exitCode) implements Outcome {
    }

    private Launcher() {
    }

    public static Outcome launch(String[] args, PrintStream out, PrintStream err) {
        CommandLineOptions options = new CommandLineOptions();
        CommandLine commandLine = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("kafka-gateway: " + e.getMessage() + " (see -help)");
            return new Finished(EXIT_BAD_CONFIG);
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(new PrintWriter(out, true));
            return new Finished(EXIT_OK);
        }
        LoadedConfig loaded;
        try {
            loaded = ConfigLoader.load(options.toOverrides());
        } catch (IllegalConfigurationException e) {
            err.println("kafka-gateway: invalid configuration: " + e.getMessage());
            return new Finished(EXIT_BAD_CONFIG);
        }
        Logging.setLevel(loaded.config().logLevel());
        loaded.warnings().forEach(warning -> LOG.atWarn().log(warning));
        return start(loaded.config(), err);
    }

    private static Outcome start(GatewayConfig config, PrintStream err) {
        EmbeddedKafka broker = null;
        try {
            if (config.embeddedKafka().enabled()) {
                broker = EmbeddedKafka.start(config.embeddedKafka());
                config = config.withDefaultClusterSeedPeers(List.of(broker.bootstrapServers()));
            }
            Gateway gateway = await(Gateway.start(config).toCompletionStage().toCompletableFuture());
            return new Started(new Running(gateway, broker));
        } catch (IllegalConfigurationException e) {
            closeQuietly(broker);
            err.println("kafka-gateway: invalid configuration: " + e.getMessage());
            return new Finished(EXIT_BAD_CONFIG);
        } catch (RuntimeException e) {
            closeQuietly(broker);
            err.println("kafka-gateway: cannot start: " + e.getMessage());
            return new Finished(EXIT_START_FAILED);
        }
    }

    private static Gateway await(CompletableFuture<Gateway> starting) {
        try {
            return starting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    private static void closeQuietly(EmbeddedKafka broker) {
        if (broker != null) {
            broker.close();
        }
    }

    /** A started gateway and, when asked for, its embedded broker; stopped together, the broker last. */
    public static final class Running {

        private final Gateway gateway;
        private final EmbeddedKafka broker;
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();
        private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();

        Running(Gateway gateway, EmbeddedKafka broker) {
            this.gateway = gateway;
            this.broker = broker;
        }

        public Gateway gateway() {
            return gateway;
        }

        /** Stops the gateway gracefully, then the embedded broker; returns once both are down. Runs once. */
        public void stop() {
            if (!stopping.compareAndSet(false, true)) {
                awaitStopped();
                return;
            }
            try {
                gateway.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
            } catch (Exception e) {
                LOG.atWarn().addKeyValue("error", e.toString()).log("gateway did not stop cleanly");
            } finally {
                closeQuietly(broker);
                stopped.complete(null);
            }
        }

        public void awaitStopped() {
            stopped.join();
        }
    }
}
