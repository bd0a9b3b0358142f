package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.config.ByteSize;
import io.kafkagateway.core.RecordFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfluentParsingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void mediaTypesNameTheirEmbeddedFormatAndVersion() {
        MediaTypes binary = MediaTypes.parse("application/vnd.kafka.binary.v1+json; charset=utf-8");
        assertThat(binary.kind()).isEqualTo(MediaTypes.Kind.KAFKA);
        assertThat(binary.embedded()).isEqualTo(MediaTypes.Embedded.BINARY);
        assertThat(binary.v1()).isTrue();
        assertThat(MediaTypes.parse("application/vnd.kafka.v2+json").embedded()).isEqualTo(MediaTypes.Embedded.NONE);
        assertThat(MediaTypes.parse("application/vnd.kafka+json").kind()).isEqualTo(MediaTypes.Kind.JSON);
        assertThat(MediaTypes.parse("application/vnd.kafka.binary+json")).isEqualTo(MediaTypes.OTHER);
        assertThat(MediaTypes.parse("application/vnd.kafka.yaml.v2+json")).isEqualTo(MediaTypes.OTHER);
        assertThat(MediaTypes.parse("text/plain")).isEqualTo(MediaTypes.OTHER);
        assertThat(MediaTypes.accepted("text/html, */*;q=0.8")).extracting(MediaTypes::kind)
                .containsExactly(MediaTypes.Kind.OTHER, MediaTypes.Kind.ANY);
        assertThat(MediaTypes.accepted("*/*;q=0")).isEmpty();
    }

    @Test
    void recordsAcceptPicksTheFormatOrLeavesItToTheInstance() {
        assertThat(RecordsAccept.expected(null)).isNull();
        assertThat(RecordsAccept.expected("application/vnd.kafka.json.v2+json")).isEqualTo(RecordFormat.JSON);
        assertThatThrownBy(() -> RecordsAccept.expected("application/json")).isInstanceOf(RecordsAccept.Unacceptable.class);
        assertThat(RecordsAccept.type(RecordFormat.BINARY, "application/vnd.kafka.v1+json"))
                .isEqualTo("application/vnd.kafka.binary.v1+json");
    }

    @Test
    void instanceConfigFollowsConfluentsRules() throws Exception {
        InstanceConfig v1 = InstanceConfig.parse(MAPPER.readTree(
                "{\"name\":\"x\",\"format\":\"json\",\"auto.offset.reset\":\"smallest\",\"auto.commit.enable\":\"false\","
                        + "\"fetch.min.bytes\":\"100\",\"consumer.request.timeout.ms\":500}"), true, false);
        assertThat(v1).isEqualTo(new InstanceConfig("x", RecordFormat.JSON, "earliest", false, 100, 500));
        InstanceConfig defaults = InstanceConfig.parse(MAPPER.readTree("{}"), false, false);
        assertThat(defaults.format()).isEqualTo(RecordFormat.BINARY);
        assertThat(defaults.offsetReset()).isEqualTo("latest");
        assertThat(defaults.autoCommit()).isTrue();
        assertThatThrownBy(() -> InstanceConfig.parse(MAPPER.readTree("{\"auto.offset.reset\":\"largest\"}"), false, false))
                .isInstanceOf(InstanceConfig.Invalid.class).hasMessageContaining("v1");
        assertThatThrownBy(() -> InstanceConfig.parse(MAPPER.readTree("{\"fetch.min.bytes\":-1}"), false, false))
                .isInstanceOf(InstanceConfig.Invalid.class).hasMessageContaining("fetch.min.bytes");
        assertThatThrownBy(() -> InstanceConfig.parse(MAPPER.readTree("[1]"), false, false)).isInstanceOf(InstanceConfig.Invalid.class);
        assertThat(InstanceConfig.parse(MAPPER.readTree("{\"format\":\"avro\"}"), false, true).format()).isEqualTo(RecordFormat.AVRO);
        assertThatThrownBy(() -> InstanceConfig.parse(MAPPER.readTree("{\"format\":\"avro\"}"), false, false))
                .isInstanceOf(InstanceConfig.Invalid.class).hasMessageContaining("schema_registry.addr");
    }

    @Test
    void byteSizesTakeUnits() {
        assertThat(ByteSize.parse("64MiB").bytes()).isEqualTo(64L << 20);
        assertThat(ByteSize.parse("2KB").bytes()).isEqualTo(2000);
        assertThat(ByteSize.parse("512").bytes()).isEqualTo(512);
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> ByteSize.parse("99999999999999GiB")).hasMessageContaining("too large");
    }
}
