package io.kafkagateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.testing.ConfluentClient;
import io.kafkagateway.testing.GatewayTester;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import io.kafkagateway.testing.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's Schema Registry API against a real broker: every endpoint and error code, compatibility per level,
 * soft and permanent deletes, references, modes, Confluent's documents in the topic, and a second gateway reading them.
 */
@ExtendWith(KafkaClusterExtension.class)
class SchemaRegistryIT {

    private static final String SR = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER = record("User", "{\"name\":\"name\",\"type\":\"string\"}");

    static KafkaCluster cluster;
    static GatewayTester gateway;
    static ConfluentClient registry;

    @BeforeAll
    static void start() {
        gateway = GatewayTester.withRegistry(yaml());
        registry = new ConfluentClient(gateway.registryUrl());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static String yaml() {
        return "proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n";
    }

    @Test
    void schemasRegisterWithGlobalIdsAndReadBack() {
        // Given
        String a = subject("a");
        String b = subject("b");

        // When: the same schema under two subjects, the second time with other whitespace
        Response first = register(a, USER);
        Response again = register(a, USER);
        Response other = register(b, USER.replace(",", " , "));

        // Then
        int id = first.json().path("id").asInt();
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(id).isPositive();
        assertThat(again.json().path("id").asInt()).isEqualTo(id);
        assertThat(other.json().path("id").asInt()).isEqualTo(id);
        assertThat(registry.get("/subjects/" + a + "/versions", null).json()).hasSize(1);
        JsonNode latest = registry.get("/subjects/" + a + "/versions/latest", null).json();
        assertThat(latest.path("subject").asText()).isEqualTo(a);
        assertThat(latest.path("version").asInt()).isEqualTo(1);
        assertThat(latest.path("id").asInt()).isEqualTo(id);
        assertThat(latest.has("schemaType")).isFalse(); // Avro's is left out, as Confluent does
        Response byId = registry.get("/schemas/ids/" + id, null);
        assertThat(byId.header("Content-Type")).startsWith(SR);
        assertThat(byId.json().path("schema").asText()).isEqualTo(latest.path("schema").asText());
        assertThat(registry.get("/schemas/ids/" + id + "/schema", null).json().path("name").asText()).isEqualTo("User");
        assertThat(registry.get("/subjects/" + a + "/versions/1/schema", null).json().path("type").asText()).isEqualTo("record");
        assertThat(registry.get("/schemas/ids/" + id + "/versions", null).json().toString())
                .contains("{\"subject\":\"" + a + "\",\"version\":1}").contains("{\"subject\":\"" + b + "\",\"version\":1}");
        JsonNode lookup = registry.post("/subjects/" + b, SR, body(USER)).json();
        assertThat(lookup.path("version").asInt()).isEqualTo(1);
        assertThat(lookup.path("id").asInt()).isEqualTo(id);
        assertThat(code(registry.post("/subjects/" + b, SR, body(record("Other", "{\"name\":\"x\",\"type\":\"int\"}"))))).isEqualTo(40403);
        assertThat(code(registry.post("/subjects/" + subject("none"), SR, body(USER)))).isEqualTo(40401);
        assertThat(registry.get("/subjects", null).json().toString()).contains(a).contains(b);
        assertThat(registry.get("/schemas/types", null).json().toString()).contains("AVRO");
        assertThat(registry.get("/", null).json().isObject()).isTrue();
    }

    @Test
    void compatibilityLevelsDecideWhatRegisters() {
        // Given: version 1 under the default, BACKWARD
        String s = subject("compat");
        register(s, USER);
        String ageNoDefault = record("User", "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}");
        String ageDefault = record("User", "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}");
        String noName = record("User", "{\"name\":\"age\",\"type\":\"int\",\"default\":0}");

        // When / Then: BACKWARD refuses a new field without a default
        Response refused = register(s, ageNoDefault);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(code(refused)).isEqualTo(409);
        assertThat(refused.json().path("message").asText()).contains("incompatible").contains("\"" + s + "\"");
        assertThat(register(s, ageDefault).status()).isEqualTo(200);

        // FORWARD: the last schema must read the new one's data; dropping "name" (no default in v2) breaks that
        Response set = registry.send("PUT", "/config/" + s, SR, null, "{\"compatibility\":\"forward\"}");
        assertThat(set.json().path("compatibility").asText()).isEqualTo("FORWARD");
        assertThat(registry.get("/config/" + s, null).json().path("compatibilityLevel").asText()).isEqualTo("FORWARD");
        assertThat(register(s, noName).status()).isEqualTo(409);

        // BACKWARD_TRANSITIVE against every version, BACKWARD against the last only
        registry.send("PUT", "/config/" + s, SR, null, "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
        Response all = registry.post("/compatibility/subjects/" + s + "/versions?verbose=true", SR, body(ageNoDefault));
        Response last = registry.post("/compatibility/subjects/" + s + "/versions/latest", SR, body(ageNoDefault));
        assertThat(all.json().path("is_compatible").asBoolean()).isFalse();
        assertThat(all.json().path("messages")).isNotEmpty();
        assertThat(last.json().path("is_compatible").asBoolean()).isTrue();
        assertThat(last.json().has("messages")).isFalse();
        assertThat(code(registry.post("/compatibility/subjects/" + s + "/versions/7", SR, body(ageDefault)))).isEqualTo(40402);

        // NONE takes anything
        registry.send("PUT", "/config/" + s, SR, null, "{\"compatibility\":\"NONE\"}");
        assertThat(register(s, record("User", "{\"name\":\"name\",\"type\":\"int\"}")).status()).isEqualTo(200);

        // subject-level config comes and goes; the global level stays BACKWARD
        Response removed = registry.delete("/config/" + s);
        assertThat(removed.json().path("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(code(registry.get("/config/" + s, null))).isEqualTo(40408);
        assertThat(registry.get("/config/" + s + "?defaultToGlobal=true", null).json().path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        assertThat(code(registry.delete("/config/" + s))).isEqualTo(40401);
        assertThat(registry.get("/config", null).json().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(code(registry.send("PUT", "/config/" + s, SR, null, "{\"compatibility\":\"SIDEWAYS\"}"))).isEqualTo(42203);
    }

    @Test
    void deletesAreSoftFirstThenPermanent() {
        // Given: two versions
        String s = subject("del");
        int id1 = register(s, USER).json().path("id").asInt();
        register(s, record("User", "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"x\",\"type\":\"int\",\"default\":1}"));

        // When / Then: a version
        assertThat(code(registry.delete("/subjects/" + s + "/versions/1?permanent=true"))).isEqualTo(40407);
        assertThat(registry.delete("/subjects/" + s + "/versions/1").body()).isEqualTo("1");
        assertThat(code(registry.delete("/subjects/" + s + "/versions/1"))).isEqualTo(40406);
        assertThat(registry.get("/subjects/" + s + "/versions", null).body()).isEqualTo("[2]");
        assertThat(registry.get("/subjects/" + s + "/versions?deleted=true", null).body()).isEqualTo("[1,2]");
        assertThat(code(registry.get("/subjects/" + s + "/versions/1", null))).isEqualTo(40402);
        assertThat(registry.get("/subjects/" + s + "/versions/1?deleted=true", null).status()).isEqualTo(200);

        // the subject
        assertThat(code(registry.delete("/subjects/" + s + "?permanent=true"))).isEqualTo(40405);
        assertThat(registry.delete("/subjects/" + s).body()).isEqualTo("[2]");
        assertThat(code(registry.delete("/subjects/" + s))).isEqualTo(40404);
        assertThat(registry.get("/subjects", null).json().toString()).doesNotContain(s);
        assertThat(registry.get("/subjects?deleted=true", null).json().toString()).contains(s);
        assertThat(registry.get("/schemas/ids/" + id1, null).status()).isEqualTo(200); // soft-deleted: readable by id
        assertThat(code(registry.get("/subjects/" + s + "/versions", null))).isEqualTo(40401);

        // registered again after a soft delete: the same id, a new version
        Response back = register(s, USER);
        assertThat(back.json().path("id").asInt()).isEqualTo(id1);
        assertThat(registry.get("/subjects/" + s + "/versions", null).body()).isEqualTo("[3]");

        // and gone for good
        registry.delete("/subjects/" + s);
        assertThat(registry.delete("/subjects/" + s + "?permanent=true").body()).isEqualTo("[2,3]");
        assertThat(registry.get("/subjects?deleted=true", null).json().toString()).doesNotContain(s);
        assertThat(code(registry.post("/subjects/" + s, SR, body(USER)))).isEqualTo(40401);
    }

    @Test
    void referencesResolveAndKeepWhatTheyUse() {
        // Given: an Address record in a subject of its own
        String addressSubject = subject("addr");
        String address = "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"io.example\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
        register(addressSubject, address);
        String person = "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"io.example\",\"fields\":[{\"name\":\"home\",\"type\":\"io.example.Address\"}]}";
        String references = ",\"references\":[{\"name\":\"io.example.Address\",\"subject\":\"" + addressSubject + "\",\"version\":1}]";
        String personSubject = subject("person");

        // When
        Response withReference = registry.post("/subjects/" + personSubject + "/versions", SR,
                "{\"schema\":" + quote(person) + references + "}");
        Response missing = registry.post("/subjects/" + subject("p2") + "/versions", SR, "{\"schema\":" + quote(person)
                + ",\"references\":[{\"name\":\"io.example.Address\",\"subject\":\"" + addressSubject + "\",\"version\":9}]}");
        Response unresolved = register(subject("p3"), person);

        // Then
        assertThat(withReference.status()).as(withReference.body()).isEqualTo(200);
        int id = withReference.json().path("id").asInt();
        JsonNode version = registry.get("/subjects/" + personSubject + "/versions/1", null).json();
        assertThat(version.path("references").get(0).path("subject").asText()).isEqualTo(addressSubject);
        assertThat(registry.get("/subjects/" + addressSubject + "/versions/1/referencedby", null).body()).isEqualTo("[" + id + "]");
        assertThat(code(registry.delete("/subjects/" + addressSubject + "/versions/1"))).isEqualTo(42206);
        assertThat(code(registry.delete("/subjects/" + addressSubject))).isEqualTo(42206);
        assertThat(code(missing)).isEqualTo(42201);
        assertThat(code(unresolved)).isEqualTo(42201);
    }

    @Test
    void badRequestsAndModesAnswerConfluentsCodes() {
        String s = subject("bad");
        register(s, USER);

        assertThat(code(register(s, "{\"type\":\"record\",\"name\":\"X\"}"))).isEqualTo(42201);
        assertThat(code(registry.post("/subjects/" + s + "/versions", SR, "{\"schema\":\"x\",\"schemaType\":\"XML\"}"))).isEqualTo(42201);
        assertThat(code(registry.post("/subjects/" + s + "/versions", SR, "{\"schemaType\":\"AVRO\"}"))).isEqualTo(42201);
        assertThat(code(registry.get("/subjects/" + s + "/versions/abc", null))).isEqualTo(42202);
        assertThat(code(registry.get("/subjects/" + s + "/versions/0", null))).isEqualTo(42202);
        assertThat(code(registry.get("/subjects/" + s + "/versions/9", null))).isEqualTo(40402);
        assertThat(code(registry.get("/subjects/" + subject("none") + "/versions/1", null))).isEqualTo(40401);
        assertThat(code(registry.get("/schemas/ids/987654", null))).isEqualTo(40403);
        Response notJson = registry.post("/subjects/" + s + "/versions", SR, "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(registry.post("/subjects/" + s + "/versions", "text/plain", body(USER)).status()).isEqualTo(415);

        // a subject in read-only mode refuses registrations until its mode goes
        assertThat(code(registry.send("PUT", "/mode/" + s, SR, null, "{\"mode\":\"SIDEWAYS\"}"))).isEqualTo(42204);
        assertThat(registry.send("PUT", "/mode/" + s, SR, null, "{\"mode\":\"READONLY\"}").json().path("mode").asText()).isEqualTo("READONLY");
        assertThat(registry.get("/mode/" + s, null).json().path("mode").asText()).isEqualTo("READONLY");
        Response readOnly = register(s, record("User", "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"int\",\"default\":2}"));
        assertThat(code(readOnly)).isEqualTo(42205);
        assertThat(registry.delete("/mode/" + s).json().path("mode").asText()).isEqualTo("READONLY");
        assertThat(code(registry.get("/mode/" + s, null))).isEqualTo(40409);
        assertThat(registry.get("/mode", null).json().path("mode").asText()).isEqualTo("READWRITE");
    }

    @Test
    void theTopicHoldsConfluentsDocumentsAndAnotherGatewayReadsThem() throws Exception {
        // Given
        String s = subject("docs");
        int id = register(s, USER).json().path("id").asInt();
        registry.send("PUT", "/config/" + s, SR, null, "{\"compatibility\":\"FULL\"}");

        // When: the topic read with an ordinary consumer, and a second gateway started on it
        Map<String, String> records = topic();
        try (GatewayTester second = GatewayTester.withRegistry(yaml())) {
            ConfluentClient other = new ConfluentClient(second.registryUrl());

            // Then
            assertThat(records).containsEntry("{\"keytype\":\"SCHEMA\",\"subject\":\"" + s + "\",\"version\":1,\"magic\":1}",
                    "{\"subject\":\"" + s + "\",\"version\":1,\"id\":" + id + ",\"schema\":"
                            + quote(registry.get("/schemas/ids/" + id, null).json().path("schema").asText()) + ",\"deleted\":false}");
            assertThat(records).containsEntry("{\"keytype\":\"CONFIG\",\"subject\":\"" + s + "\",\"magic\":0}",
                    "{\"subject\":\"" + s + "\",\"compatibilityLevel\":\"FULL\"}");
            JsonNode seen = other.get("/subjects/" + s + "/versions/1", null).json();
            assertThat(seen.path("id").asInt()).isEqualTo(id);
            assertThat(other.get("/config/" + s, null).json().path("compatibilityLevel").asText()).isEqualTo("FULL");
        }
    }

    private static Map<String, String> topic() {
        Map<String, String> records = new java.util.LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", cluster.getBootstrapServers(),
                "key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName(),
                "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition("_schemas", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                return consumer.position(partition) >= end;
            });
            all.forEach(r -> records.put(new String(r.key(), StandardCharsets.UTF_8),
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
        }
        return records;
    }

    private static Response register(String subject, String schema) {
        return registry.post("/subjects/" + subject + "/versions", SR, body(schema));
    }

    private static String body(String schema) {
        return "{\"schema\":" + quote(schema) + "}";
    }

    private static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String record(String name, String fields) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[" + fields + "]}";
    }

    private static String subject(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int code(Response response) {
        return response.json().path("error_code").asInt();
    }
}
