package io.kafkagateway.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code log_level} to the gateway's own loggers (Kafka's clients and broker stay at WARN). */
final class Logging {

    private Logging() {
    }

    static void setLevel(String level) {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(level, Level.INFO));
        }
    }
}
