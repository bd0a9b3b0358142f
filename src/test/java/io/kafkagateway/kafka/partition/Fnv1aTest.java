package io.kafkagateway.kafka.partition;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Fnv1aTest {

    /** Kafka-Pixy's placement of keys on a 4-partition topic: keys must keep landing where Pixy put them. */
    @ParameterizedTest(name = "\"{0}\" -> partition {1}")
    @CsvSource({"'', 3", "1, 0", "2, 1", "3, 2", "4, 3", "5, 0", "foo, 1", "bar, 2", "A, 0", "B, 3", "C, 2", "D, 1"})
    void placesKeysAsKafkaPixyDoes(String key, int partition) {
        assertThat(Fnv1a.partition(key.getBytes(StandardCharsets.UTF_8), 4)).isEqualTo(partition);
    }

    @ParameterizedTest
    @CsvSource({"'', 811c9dc5", "a, e40c292c", "foobar, bf9cf968"})
    void hashesWithFnv1a32(String input, String hex) {
        assertThat(Integer.toHexString(Fnv1a.hash32(input.getBytes(StandardCharsets.UTF_8)))).isEqualTo(hex);
    }
}
