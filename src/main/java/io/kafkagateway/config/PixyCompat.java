package io.kafkagateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka-Pixy keys that load but do not apply here. Removes them from the raw tree before binding, so the strict
 * binder still rejects every other unknown key, and reports each in one warning.
 */
final class PixyCompat {

    private static final Map<String, String> SEVERITIES = Map.of(
            "debug", "debug", "info", "info", "warning", "warn", "warn", "warn",
            "error", "error", "fatal", "error", "panic", "error");

    private PixyCompat() {
    }

    static void normalize(ObjectNode root, List<String> warnings) {
        List<String> ignored = new ArrayList<>();
        JsonNode proxies = root.get("proxies");
        if (proxies instanceof ObjectNode clusters) {
            clusters.fields().forEachRemaining(entry -> {
                if (entry.getValue() instanceof ObjectNode cluster) {
                    normalizeCluster("proxies." + entry.getKey(), cluster, ignored, warnings);
                }
            });
        }
        normalizeLogging(root, warnings);
        if (!ignored.isEmpty()) {
            warnings.add("ignoring Kafka-Pixy keys that do not apply to this gateway: " + String.join(", ", ignored)
                    + " (the Kafka client negotiates protocol versions, ZooKeeper is not used, and group rebalancing"
                    + " is done by Kafka's group coordinator)");
        }
    }

    private static void normalizeCluster(String path, ObjectNode cluster, List<String> ignored, List<String> warnings) {
        if (cluster.get("kafka") instanceof ObjectNode kafka && kafka.remove("version") != null) {
            ignored.add(path + ".kafka.version");
        }
        if (cluster.remove("zoo_keeper") != null) {
            ignored.add(path + ".zoo_keeper");
        }
        if (cluster.get("consumer") instanceof ObjectNode consumer) {
            if (consumer.remove("rebalance_delay") != null) {
                ignored.add(path + ".consumer.rebalance_delay");
            }
            JsonNode registration = consumer.remove("registration_timeout");
            if (registration != null) {
                if (consumer.has("subscription_timeout")) {
                    ignored.add(path + ".consumer.registration_timeout");
                } else {
                    consumer.set("subscription_timeout", registration);
                    warnings.add(path + ".consumer.registration_timeout is Kafka-Pixy's old name of subscription_timeout;"
                            + " it was used as subscription_timeout");
                }
            }
        }
    }

    /** Pixy's {@code logging} is a list of sinks; the console sink's severity becomes our {@code log_level}. */
    private static void normalizeLogging(ObjectNode root, List<String> warnings) {
        JsonNode logging = root.remove("logging");
        if (logging == null || logging.isNull()) {
            return;
        }
        if (!logging.isArray()) {
            throw new IllegalConfigurationException("logging", "expected a list of sinks like [{name: console, severity: info}]");
        }
        Iterator<JsonNode> sinks = logging.elements();
        for (int i = 0; sinks.hasNext(); i++) {
            JsonNode sink = sinks.next();
            String name = sink.path("name").asText("");
            if (!name.equals("console")) {
                warnings.add("logging[" + i + "]: sink '" + name + "' is not supported; logs go to standard output");
                continue;
            }
            String severity = sink.path("severity").asText("info").toLowerCase(Locale.ROOT);
            String level = SEVERITIES.get(severity);
            if (level == null) {
                throw new IllegalConfigurationException("logging[" + i + "].severity",
                        "'" + severity + "' is not allowed; use one of debug, info, warning, error");
            }
            if (!root.has("log_level")) {
                root.put("log_level", level);
            }
        }
    }
}
