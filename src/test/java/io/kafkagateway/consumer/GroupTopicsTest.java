package io.kafkagateway.consumer;

import io.kafkagateway.config.ConfigLoader;
import io.kafkagateway.config.ConfigOverrides;
import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A group's topics: the cap, and the hysteresis that keeps a topic asked for again soon from flapping. */
class GroupTopicsTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static GroupTopics topics(String yaml) {
        ConsumerSettings settings = ConfigLoader.parse("proxies:\n  c:\n    consumer: " + yaml + "\n", ConfigOverrides.NONE)
                .config().cluster("c").consumer();
        return new GroupTopics("g", settings, null, new ConsumerStats());
    }

    @Test
    void aTopicIsLeftAfterItsIdleLimit() {
        GroupTopics topics = topics("{subscription_timeout: 10s}");
        topics.add("t", null, 0);
        assertThat(topics.expired(9 * SECOND)).isEmpty();
        assertThat(topics.expired(10 * SECOND)).containsExactly("t");
    }

    @Test
    void aTopicAskedForAgainSoonAfterItWasLeftKeepsTwiceItsIdleLimitUpToEightTimes() {
        // Given: subscription_timeout 10 s
        GroupTopics topics = topics("{subscription_timeout: 10s}");
        long now = 0;
        long[] limits = new long[6];
        for (int i = 0; i < limits.length; i++) {
            // When: the topic is subscribed, left once idle for its limit, and asked for again a second later
            topics.add("t", null, now);
            limits[i] = topics.idleLimitNanos("t") / SECOND;
            now += topics.idleLimitNanos("t");
            assertThat(topics.expired(now)).containsExactly("t");
            topics.leave("t", now);
            now += SECOND;
        }

        // Then: 10, 20, 40, 80 s, then no more
        assertThat(limits).containsExactly(10, 20, 40, 80, 80, 80);
    }

    @Test
    void aTopicAskedForAgainLongAfterItWasLeftStartsOver() {
        GroupTopics topics = topics("{subscription_timeout: 10s}");
        topics.add("t", null, 0);
        topics.leave("t", 10 * SECOND);
        topics.add("t", null, 30 * SECOND);
        assertThat(topics.idleLimitNanos("t")).isEqualTo(10 * SECOND);
    }

    @Test
    void aGroupConsumesAtMostMaxTopicsPerGroup() {
        GroupTopics topics = topics("{max_topics_per_group: 2}");
        topics.add("a", null, 0);
        topics.add("b", null, 0);
        assertThatThrownBy(() -> topics.add("c", null, 0))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.THROTTLING_QUOTA_EXCEEDED))
                .hasMessageContaining("consumer.max_topics_per_group");
    }
}
