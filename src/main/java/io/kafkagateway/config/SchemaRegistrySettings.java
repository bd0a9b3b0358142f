package io.kafkagateway.config;

import java.util.regex.Pattern;

/**
 * The {@code schema_registry} section: the gateway's own Confluent-compatible Schema Registry API on {@code addr}
 * (default Confluent's port, 8081; empty: off), its schemas kept in the compacted topic {@code topic} of the
 * {@code cluster} entry of {@code proxies} (the default cluster when unset). The Confluent API's avro, jsonschema and
 * protobuf formats use it.
 */
public record SchemaRegistrySettings(String addr, String cluster, String topic) {

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    public static final SchemaRegistrySettings DEFAULTS = new SchemaRegistrySettings(null, null, null);

    public SchemaRegistrySettings {
        addr = Check.address("schema_registry.addr", addr, "0.0.0.0:8081", true);
        cluster = cluster == null || cluster.isBlank() ? null : cluster.trim();
        topic = topic == null || topic.isBlank() ? "_schemas" : topic.trim();
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalConfigurationException("schema_registry.topic", "'" + topic
                    + "' is not a Kafka topic name (letters, digits, '.', '_', '-', at most 249)");
        }
    }

    public boolean enabled() {
        return !addr.isEmpty();
    }
}
