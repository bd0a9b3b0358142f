package io.kafkagateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, 500000000",
            "30s, 30000000000",
            "5m, 300000000000",
            "1h30m, 5400000000000",
            "1.5s, 1500000000",
            ".5s, 500000000",
            "250us, 250000",
            "250µs, 250000",
            "10ns, 10",
            "-1s, -1000000000",
            "0, 0",
            "1h15m30.918273645s, 4530918273645"})
    void parsesGoSyntax(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 minutes", "ms", "1.2.3s", "1d", "-", "s5"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("300ms");
    }

    @Test
    void rejectsOverflow() {
        assertThatThrownBy(() -> GoDuration.parse("9999999999h")).hasMessageContaining("too long");
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "500000000, 500ms", "1500000000, 1.5s", "90000000000, 1m30s", "5400000000000, 1h30m0s", "250000, 250us"})
    void formatsAsGoPrints(long nanos, String text) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }
}
