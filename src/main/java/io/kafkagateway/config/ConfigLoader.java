package io.kafkagateway.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loads the gateway configuration: the YAML file (Kafka-Pixy's keys and ours), then the command-line overrides, then
 * strict binding into validated records. Any problem becomes one {@link IllegalConfigurationException} naming the key.
 */
public final class ConfigLoader {

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new GoDurationDeserializer())
                    .addDeserializer(ByteSize.class, new ByteSizeDeserializer()))
            .build();

    private static final Map<Class<?>, String> TYPE_NAMES = Map.of(
            Integer.class, "a whole number",
            Boolean.class, "true or false",
            String.class, "a string",
            Duration.class, "a duration like 500ms",
            List.class, "a list",
            Map.class, "a mapping of keys to values");

    private ConfigLoader() {
    }

    /** Loads {@code overrides.configFile()} (defaults when there is none) and applies the overrides. */
    public static LoadedConfig load(ConfigOverrides overrides) {
        Path file = overrides.configFile();
        if (file == null) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.putObject("proxies").putObject("default");
            return bind(root, overrides, "<defaults>");
        }
        return bind(read(file), overrides, file.toString());
    }

    /** Loads configuration from YAML text (tests and tools). */
    public static LoadedConfig parse(String yaml, ConfigOverrides overrides) {
        return bind(readTree(yaml, "<text>"), overrides, "<text>");
    }

    private static LoadedConfig bind(ObjectNode root, ConfigOverrides overrides, String source) {
        List<String> warnings = new ArrayList<>();
        PixyCompat.normalize(root, warnings);
        applyOverrides(root, overrides, warnings);
        try {
            return new LoadedConfig(MAPPER.treeToValue(root, GatewayConfig.class), warnings);
        } catch (JacksonException e) {
            throw translate(e, source);
        } catch (IllegalConfigurationException e) {
            throw e;
        }
    }

    private static ObjectNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalConfigurationException("config file '" + file + "' does not exist");
        } catch (IOException e) {
            throw new IllegalConfigurationException("config file '" + file + "' cannot be read: " + e.getMessage());
        }
        return readTree(text, file.toString());
    }

    private static ObjectNode readTree(String text, String source) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw translate(e, source);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalConfigurationException("config " + source + " must be a mapping of keys (like tcp_addr: ...)"
                    + " at the top, not " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return object;
    }

    private static void applyOverrides(ObjectNode root, ConfigOverrides o, List<String> warnings) {
        putIfSet(root, "grpc_addr", o.grpcAddr());
        putIfSet(root, "tcp_addr", o.tcpAddr());
        putIfSet(root, "unix_addr", o.unixAddr());
        putIfSet(root, "management_addr", o.managementAddr());
        putIfSet(root, "pid_file", o.pidFile());
        putIfSet(root, "log_level", o.logLevel());
        if (o.confluentAddr() != null) {
            objectAt(root, "confluent").put("addr", o.confluentAddr());
        }
        if (o.schemaRegistryAddr() != null) {
            objectAt(root, "schema_registry").put("addr", o.schemaRegistryAddr());
        }
        if (o.zookeeperPeers() != null) {
            warnings.add("ignoring -zookeeperPeers: this gateway does not use ZooKeeper");
        }
        if (o.embeddedKafka() != null || o.embeddedKafkaDir() != null || o.embeddedKafkaPort() != null) {
            ObjectNode embedded = objectAt(root, "embedded_kafka");
            if (o.embeddedKafka() != null) {
                embedded.put("enabled", o.embeddedKafka());
            }
            putIfSet(embedded, "data_dir", o.embeddedKafkaDir());
            if (o.embeddedKafkaPort() != null) {
                embedded.put("port", o.embeddedKafkaPort());
            }
        }
        if (o.clusterMembers() != null || o.clusterPort() != null || o.instanceId() != null) {
            ObjectNode cluster = objectAt(root, "cluster");
            if (o.clusterMembers() != null) {
                cluster.put("enabled", true);
                ArrayNode members = cluster.putArray("members");
                o.clusterMembers().forEach(members::add);
            }
            if (o.clusterPort() != null) {
                cluster.put("port", o.clusterPort());
            }
            putIfSet(cluster, "instance_id", o.instanceId());
        }
        if (o.touchesDefaultCluster()) {
            ObjectNode kafka = objectAt(defaultCluster(root), "kafka");
            if (o.kafkaPeers() != null) {
                ArrayNode peers = kafka.putArray("seed_peers");
                o.kafkaPeers().forEach(peers::add);
            }
            if (o.tls() != null) {
                kafka.put("tls", o.tls());
            }
            putIfSet(kafka, "ca_certificate_file", o.caCertFile());
            putIfSet(kafka, "client_certificate_file", o.clientCertFile());
            putIfSet(kafka, "client_key_file", o.clientCertKeyFile());
            if (o.insecureTls() != null) {
                kafka.put("insecure", o.insecureTls());
            }
        }
    }

    /** The default cluster's node: {@code default_cluster} if named, else the first under proxies (created if none). */
    private static ObjectNode defaultCluster(ObjectNode root) {
        ObjectNode proxies = objectAt(root, "proxies");
        String name = root.path("default_cluster").asText("");
        if (name.isEmpty()) {
            name = proxies.fieldNames().hasNext() ? proxies.fieldNames().next() : "default";
        }
        return objectAt(proxies, name);
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        JsonNode child = parent.get(field);
        if (child instanceof ObjectNode object) {
            return object;
        }
        if (child != null && !child.isNull()) {
            throw new IllegalConfigurationException(field, "expected a mapping of keys to values");
        }
        return parent.putObject(field);
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static IllegalConfigurationException translate(JacksonException e, String source) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = path(mapping.getPath());
            IllegalConfigurationException cause = configCause(mapping);
            if (cause != null) {
                return cause.under(path);
            }
            if (mapping instanceof UnrecognizedPropertyException unknown) {
                return new IllegalConfigurationException(path, "unknown key; allowed here: " + names(unknown.getKnownPropertyIds()));
            }
            if (mapping instanceof InvalidFormatException format) {
                return new IllegalConfigurationException(path, "expected " + typeName(format.getTargetType())
                        + ", got '" + format.getValue() + "'");
            }
            if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                return new IllegalConfigurationException(path, "expected " + typeName(mismatch.getTargetType()));
            }
            return new IllegalConfigurationException(path, mapping.getOriginalMessage());
        }
        IllegalConfigurationException cause = configCause(e);
        if (cause != null) {
            return cause;
        }
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 0 ? ""
                : " line " + location.getLineNr() + ", column " + location.getColumnNr();
        String problem = e.getOriginalMessage();
        if (problem != null && problem.startsWith("Duplicate field")) {
            problem = "duplicate key " + problem.substring("Duplicate field ".length()) + "; each key may appear once";
        }
        return new IllegalConfigurationException("config " + source + where + ": " + problem);
    }

    private static IllegalConfigurationException configCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalConfigurationException config) {
                return config;
            }
        }
        return null;
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String names(Collection<Object> ids) {
        TreeSet<String> sorted = new TreeSet<>();
        ids.forEach(id -> sorted.add(String.valueOf(id)));
        return String.join(", ", sorted);
    }

    private static String typeName(Class<?> type) {
        for (Map.Entry<Class<?>, String> entry : TYPE_NAMES.entrySet()) {
            if (entry.getKey().isAssignableFrom(type)) {
                return entry.getValue();
            }
        }
        if (type == int.class) {
            return "a whole number";
        }
        if (type == boolean.class) {
            return "true or false";
        }
        return "a mapping of keys to values";
    }
}
