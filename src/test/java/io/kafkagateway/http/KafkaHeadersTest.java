package io.kafkagateway.http;

import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.RecordHeader;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaHeadersTest {

    @ParameterizedTest
    @CsvSource({"x-kafka-trace-id, X-Kafka-Trace-Id", "X-KAFKA-FOO, X-Kafka-Foo", "content-type, Content-Type",
            "'bad header', 'bad header'"})
    void canonicalisesAsGoDoes(String name, String canonical) {
        assertThat(KafkaHeaders.canonical(name)).isEqualTo(canonical);
    }

    @Test
    void turnsPrefixedHeadersIntoRecordHeadersInOrder() {
        // Given
        MultiMap http = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "text/plain")
                .add("x-kafka-trace-id", "YmFy")
                .add("X-Kafka-Foo", "")
                .add("X-Kafka-Foo", "cXV4");

        // When
        List<RecordHeader> headers = KafkaHeaders.parse(http);

        // Then
        assertThat(headers).containsExactly(
                new RecordHeader("Trace-Id", "bar".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("Foo", new byte[0]),
                new RecordHeader("Foo", "qux".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badBase64IsAnInvalidRequestNamingTheHeader() {
        MultiMap http = MultiMap.caseInsensitiveMultiMap().add("X-Kafka-Foo", "not base64!");
        assertThatThrownBy(() -> KafkaHeaders.parse(http))
                .isInstanceOf(GatewayException.class)
                .hasMessage("Invalid base64 encoding for header: X-Kafka-Foo");
    }
}
