package io.kafkagateway.stream;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a streaming subscription accepts: its bounds, and the message that names what is wrong. */
class SubscriptionTest {

    private static List<String> topics(int count) {
        return IntStream.range(0, count).mapToObj(i -> "t" + i).toList();
    }

    @Test
    void atMostOneHundredTopics() {
        assertThat(new Subscription("", "g", topics(Subscription.MAX_TOPICS), null, 1, false, false).topics())
                .hasSize(Subscription.MAX_TOPICS);
        assertThatThrownBy(() -> new Subscription("", "g", topics(Subscription.MAX_TOPICS + 1), null, 1, false, false))
                .isInstanceOf(GatewayException.class).hasMessage("subscribe to between 1 and 100 topics");
        assertThatThrownBy(() -> new Subscription("", "g", Collections.emptyList(), null, 1, false, false))
                .hasMessage("subscribe to between 1 and 100 topics");
    }

    @Test
    void creditsAreCappedAndNeverNegative() {
        assertThat(new Subscription("", "g", List.of("t"), null, Long.MAX_VALUE, false, false).credits())
                .isEqualTo(Subscription.MAX_CREDITS);
        assertThatThrownBy(() -> new Subscription("", "g", List.of("t"), null, -1, false, false))
                .hasMessage("credits must not be negative, got -1");
    }

    @Test
    void topicsAreDedupedInOrderAndValidated() {
        assertThat(new Subscription("", "g", List.of("b", "a", "b"), null, 0, false, false).topics()).containsExactly("b", "a");
        assertThatThrownBy(() -> new Subscription("", "g", List.of("bad topic"), null, 0, false, false))
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("invalid topic name 'bad topic'");
        assertThatThrownBy(() -> new Subscription("", "", List.of("t"), null, 0, false, false))
                .hasMessage("group must not be empty");
    }
}
