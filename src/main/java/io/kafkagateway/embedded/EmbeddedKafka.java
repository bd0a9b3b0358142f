package io.kafkagateway.embedded;

import io.kafkagateway.config.EmbeddedKafkaSettings;

import java.lang.reflect.InvocationTargetException;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) running inside the gateway's JVM. The broker's
 * classes are loaded only through {@link #start}, so a gateway started without the flag never loads them.
 */
public interface EmbeddedKafka extends AutoCloseable {

    /** Bootstrap address for clients, {@code localhost:<port>}. */
    String bootstrapServers();

    /** Stops the broker and waits for it; the data directory is kept for the next start. */
    @Override
    void close();

    static EmbeddedKafka start(EmbeddedKafkaSettings settings) {
        try {
            return (EmbeddedKafka) Class.forName("io.kafkagateway.embedded.KRaftBroker")
                    .getMethod("start", EmbeddedKafkaSettings.class)
                    .invoke(null, settings);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("embedded Kafka failed to start: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("embedded Kafka is not available in this build: " + e, e);
        }
    }
}
