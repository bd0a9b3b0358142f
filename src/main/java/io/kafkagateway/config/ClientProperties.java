package io.kafkagateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Kafka client properties passed through as written (TLS, SASL, OAuth, tuning). Secrets never reach
 * {@link #toString()} or the logs.
 */
public record ClientProperties(Map<String, String> values) {

    public static final ClientProperties NONE = new ClientProperties(Map.of());

    /** Properties the gateway sets itself; overriding them would break it, so config may not. */
    private static final Map<String, String> RESERVED = Map.of(
            "bootstrap.servers", "use kafka.seed_peers",
            "key.serializer", "the gateway passes raw bytes",
            "value.serializer", "the gateway passes raw bytes",
            "key.deserializer", "the gateway passes raw bytes",
            "value.deserializer", "the gateway passes raw bytes",
            "group.id", "groups come from each consume request",
            "enable.auto.commit", "the gateway commits acknowledged offsets itself",
            "max.block.ms", "the producer must never block; producer.timeout bounds the wait for topic metadata");

    private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "jaas", "token", "credential", "key");

    public ClientProperties {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @JsonCreator
    public static ClientProperties of(Map<String, String> values) {
        return new ClientProperties(values);
    }

    /** Checks every property is understood by at least one of {@code kinds} and is not one the gateway owns. */
    ClientProperties validate(String key, EnumSet<ClientKind> kinds) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String name = entry.getKey();
            if (RESERVED.containsKey(name)) {
                throw new IllegalConfigurationException(key + "." + name, "cannot be set here: " + RESERVED.get(name));
            }
            if (kinds.stream().noneMatch(kind -> kind.understands(name))) {
                throw new IllegalConfigurationException(key + "." + name, "is not a property of the Kafka "
                        + kinds.stream().map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining("/"))
                        + " client (check the spelling against the Kafka documentation)");
            }
            if (entry.getValue() == null) {
                throw new IllegalConfigurationException(key + "." + name, "has no value");
            }
        }
        return this;
    }

    /** The properties the client of {@code kind} understands. */
    public Map<String, String> forClient(ClientKind kind) {
        Map<String, String> selected = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (kind.understands(name)) {
                selected.put(name, value);
            }
        });
        return selected;
    }

    public static boolean isSecret(String propertyName) {
        String lower = propertyName.toLowerCase(java.util.Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    @Override
    public String toString() {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "[redacted]" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
