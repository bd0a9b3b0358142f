package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.testing.ConfluentClient;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Confluent API's avro format against a real broker and the gateway's own registry: Confluent's Avro quick-start
 * verbatim, bytes in Confluent's wire format that an ordinary consumer decodes, records checked before any is written,
 * schema ids, and records that do not decode (no magic byte, unknown id) answered as errors without being skipped.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConfluentAvroIT {

    private static final String AVRO_V2 = "application/vnd.kafka.avro.v2+json";
    private static final String V2 = "application/vnd.kafka.v2+json";
    private static final String USER = "{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"User\\\", \\\"fields\\\": [{\\\"name\\\": \\\"name\\\", \\\"type\\\": \\\"string\\\"}]}";

    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;
    static ConfluentClient confluent;
    static ConfluentClient registry;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        gateway = GatewayTester.withRegistry("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n");
        confluent = new ConfluentClient(gateway.confluentUrl());
        registry = new ConfluentClient(gateway.registryUrl());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    @Test
    void avroQuickStart() throws Exception {
        // Given: Confluent's curls, on a topic of this test
        String topic = kafka.newTopic(1);
        String group = "my_avro_consumer_" + UUID.randomUUID();

        // When
        Response produced = confluent.post("/topics/" + topic, "application/vnd.kafka.avro.v1+json",
                "{\"value_schema\": \"" + USER + "\", \"records\": [{\"value\": {\"name\": \"testUser\"}}]}");
        Response created = confluent.post("/consumers/" + group, "application/vnd.kafka.v1+json",
                "{\"name\": \"my_consumer_instance\", \"format\": \"avro\", \"auto.offset.reset\": \"smallest\"}");
        Response read = confluent.get("/consumers/" + group + "/instances/my_consumer_instance/topics/" + topic,
                "application/vnd.kafka.avro.v1+json");
        Response deleted = confluent.delete("/consumers/" + group + "/instances/my_consumer_instance");

        // Then: the documented answers (the schema id is the registry's), and bytes in Confluent's wire format
        assertThat(produced.status()).as(produced.body()).isEqualTo(200);
        int id = produced.json().path("value_schema_id").asInt();
        assertThat(produced.body()).isEqualTo("{\"offsets\":[{\"partition\":0,\"offset\":0,\"error_code\":null,"
                + "\"error\":null}],\"key_schema_id\":null,\"value_schema_id\":" + id + "}");
        assertThat(registry.get("/subjects/" + topic + "-value/versions/latest", null).json().path("id").asInt()).isEqualTo(id);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("Content-Type")).isEqualTo("application/vnd.kafka.avro.v1+json");
        JsonNode record = read.json().get(0);
        assertThat(read.json()).hasSize(1);
        assertThat(record.path("key").isNull()).isTrue();
        assertThat(record.path("value").toString()).isEqualTo("{\"name\":\"testUser\"}");
        assertThat(record.path("partition").asInt()).isZero();
        assertThat(record.path("offset").asLong()).isZero();
        assertThat(deleted.status()).isEqualTo(204);
        byte[] bytes = kafka.records(topic, 1).get(0).value();
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        Schema schema = new Schema.Parser().parse(registry.get("/schemas/ids/" + id, null).json().path("schema").asText());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertThat(decoded.get("name").toString()).isEqualTo("testUser");
    }

    @Test
    void keysValuesUnionsAndSchemaIdsRoundTrip() {
        // Given: a key schema and a value schema with a union, then the value schema named by its id
        String topic = kafka.newTopic(1);
        String value = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Order\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\"},"
                + "{\\\"name\\\":\\\"note\\\",\\\"type\\\":[\\\"null\\\",\\\"string\\\"],\\\"default\\\":null}]}";
        Response first = confluent.post("/topics/" + topic, AVRO_V2, "{\"key_schema\":\"\\\"string\\\"\",\"value_schema\":\""
                + value + "\",\"records\":[{\"key\":\"k1\",\"value\":{\"id\":1,\"note\":{\"string\":\"first\"}}}]}");
        int keyId = first.json().path("key_schema_id").asInt();
        int valueId = first.json().path("value_schema_id").asInt();

        // When
        Response second = confluent.post("/topics/" + topic, AVRO_V2, "{\"key_schema_id\":" + keyId + ",\"value_schema_id\":"
                + valueId + ",\"records\":[{\"key\":\"k2\",\"value\":{\"id\":2,\"note\":null}}]}");
        List<JsonNode> records = read(topic, "avro", 2);

        // Then
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().path("key_schema_id").asInt()).isEqualTo(keyId);
        assertThat(records.get(0).path("key").asText()).isEqualTo("k1");
        assertThat(records.get(0).path("value").toString()).isEqualTo("{\"id\":1,\"note\":{\"string\":\"first\"}}");
        assertThat(records.get(1).path("value").toString()).isEqualTo("{\"id\":2,\"note\":null}");
        assertThat(registry.get("/subjects", null).json().toString()).contains(topic + "-key").contains(topic + "-value");
    }

    @Test
    void aRecordThatDoesNotMatchRefusesTheWholeRequest() {
        // Given
        String topic = kafka.newTopic(1);

        // When
        Response mismatch = confluent.post("/topics/" + topic, AVRO_V2, "{\"value_schema\":\"" + USER
                + "\",\"records\":[{\"value\":{\"name\":\"ok\"}},{\"value\":{\"nom\":\"wrong\"}}]}");
        Response noSchema = confluent.post("/topics/" + topic, AVRO_V2, "{\"records\":[{\"value\":{\"name\":\"x\"}}]}");
        Response noKeySchema = confluent.post("/topics/" + topic, AVRO_V2, "{\"value_schema\":\"" + USER
                + "\",\"records\":[{\"key\":\"k\",\"value\":{\"name\":\"x\"}}]}");
        Response invalid = confluent.post("/topics/" + topic, AVRO_V2, "{\"value_schema\":\"{\\\"type\\\":\\\"nope\\\"}\","
                + "\"records\":[{\"value\":1}]}");
        Response unknownId = confluent.post("/topics/" + topic, AVRO_V2, "{\"value_schema_id\":987654,\"records\":[{\"value\":1}]}");
        Response jsonSchema = confluent.post("/topics/" + topic, "application/vnd.kafka.jsonschema.v2+json",
                "{\"records\":[{\"value\":1}]}");

        // Then: nothing written
        assertThat(mismatch.status()).isEqualTo(422);
        assertThat(mismatch.json().path("error_code").asInt()).isEqualTo(42203);
        assertThat(mismatch.json().path("message").asText()).contains("records[1].value");
        assertThat(noSchema.json().path("error_code").asInt()).isEqualTo(42202);
        assertThat(noKeySchema.json().path("error_code").asInt()).isEqualTo(42201);
        assertThat(invalid.json().path("error_code").asInt()).isEqualTo(42205);
        assertThat(unknownId.json().path("error_code").asInt()).isEqualTo(42207);
        assertThat(jsonSchema.status()).isEqualTo(415);
        assertThat(kafka.endOffsets(topic).values()).containsOnly(0L);
    }

    @Test
    void recordsThatDoNotDecodeAreErrorsAndStayWhereTheyAre() throws Exception {
        // Given: an avro record, then a record with a schema id (3906) the registry does not have
        String topic = kafka.newTopic(1);
        assertThat(confluent.post("/topics/" + topic, AVRO_V2, "{\"value_schema\":\"" + USER
                + "\",\"records\":[{\"value\":{\"name\":\"a\"}}]}").status()).isEqualTo(200);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.getBootstrapServers(),
                "key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName(),
                "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, null, new byte[]{0, 0, 0, 0x0f, 0x42, 2, 0x61})).get();
        }
        String base = instance("avro");
        confluent.post(base + "/assignments", V2, "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}");

        // When: the first read answers the good record, the next fails on the unknown id, and so does the one after
        List<JsonNode> good = new java.util.ArrayList<>();
        Response failed = await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response r = confluent.get(base + "/records?timeout=500", AVRO_V2);
            if (r.status() == 200) {
                r.json().forEach(good::add);
            }
            return r;
        }, r -> r.status() != 200);
        Response again = confluent.get(base + "/records?timeout=500", AVRO_V2);

        // Then
        assertThat(good).hasSize(1);
        assertThat(good.get(0).path("value").path("name").asText()).isEqualTo("a");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().path("error_code").asInt()).isEqualTo(50002);
        assertThat(failed.json().path("message").asText()).contains("offset 1").contains("schema id 3906");
        assertThat(again.json().path("error_code").asInt()).isEqualTo(50002);
        assertThat(again.json().path("message").asText()).contains("offset 1");
        confluent.delete(base);
    }

    private static List<JsonNode> read(String topic, String format, int count) {
        String base = instance(format);
        confluent.post(base + "/subscription", V2, "{\"topics\":[\"" + topic + "\"]}");
        List<JsonNode> records = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Response r = confluent.get(base + "/records?timeout=500", AVRO_V2);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r.json().forEach(records::add);
            return records.size() >= count;
        });
        confluent.delete(base);
        return records;
    }

    private static String instance(String format) {
        String group = "g-" + UUID.randomUUID();
        Response created = confluent.post("/consumers/" + group, V2,
                "{\"name\":\"c\",\"format\":\"" + format + "\",\"auto.offset.reset\":\"earliest\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return "/consumers/" + group + "/instances/c";
    }
}
