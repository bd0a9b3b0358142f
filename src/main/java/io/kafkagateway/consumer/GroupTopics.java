package io.kafkagateway.consumer;

import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topics one group member consumes, each a {@link TopicSubscription}: a topic is subscribed on its first request
 * and left once nobody asked for it for its idle limit (and nothing of it waits for an acknowledgement, or the ack
 * timeout passed too). Every change of the set is a rebalance of the whole group, so two rules keep them rare: at most
 * {@code consumer.max_topics_per_group} topics, and hysteresis: a topic asked for again soon after it was left keeps
 * twice its previous idle limit (up to {@value #MAX_IDLE_FACTOR} times {@code consumer.subscription_timeout}).
 * Confined to the consumer engine's event loop, except {@link #initialOffset}, which the poll thread reads.
 */
final class GroupTopics {

    static final int MAX_IDLE_FACTOR = 8;

    private record Left(long atNanos, long idleLimitNanos) {
    }

    private final Vertx vertx;
    private final ConsumerStats stats;
    private final ConsumerSettings settings;
    private final String group;
    private final Map<String, TopicSubscription> topics = new HashMap<>();
    private final Map<String, Long> idleLimits = new HashMap<>();
    /** Where each topic starts when the group never committed; read by the poll thread. */
    private final Map<String, InitialOffset> initialOffsets = new ConcurrentHashMap<>();
    /** Topics left recently, for the hysteresis; bounded like the topics themselves. */
    private final LinkedHashMap<String, Left> left;

    GroupTopics(String group, ConsumerSettings settings, Vertx vertx, ConsumerStats stats) {
        this.group = group;
        this.settings = settings;
        this.vertx = vertx;
        this.stats = stats;
        int bound = settings.maxTopicsPerGroup();
        this.left = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Left> eldest) {
                return size() > bound;
            }
        };
    }

    TopicSubscription get(String topic) {
        return topics.get(topic);
    }

    boolean isEmpty() {
        return topics.isEmpty();
    }

    Set<String> names() {
        return topics.keySet();
    }

    Collection<TopicSubscription> all() {
        return topics.values();
    }

    InitialOffset initialOffset(String topic) {
        return initialOffsets.getOrDefault(topic, settings.initialOffset());
    }

    /**
     * Subscribes {@code topic}, which is not subscribed yet; the caller then changes the group's subscription.
     *
     * @throws GatewayException THROTTLING_QUOTA_EXCEEDED when the group already consumes as many topics as allowed
     */
    TopicSubscription add(String topic, InitialOffset requested, long nowNanos) {
        if (topics.size() >= settings.maxTopicsPerGroup()) {
            throw GatewayException.throttled("group " + group + " already consumes " + topics.size()
                    + " topics here (consumer.max_topics_per_group); a topic is left after consumer.subscription_timeout"
                    + " without requests");
        }
        InitialOffset start = requested == null ? settings.initialOffset() : requested;
        TopicSubscription subscription = new TopicSubscription(topic, start, new WaitQueue(vertx, stats), nowNanos);
        topics.put(topic, subscription);
        initialOffsets.put(topic, start);
        idleLimits.put(topic, idleLimit(topic, nowNanos));
        return subscription;
    }

    private long idleLimit(String topic, long nowNanos) {
        long base = settings.subscriptionTimeout().toNanos();
        Left previous = left.remove(topic);
        if (previous == null || nowNanos - previous.atNanos() >= previous.idleLimitNanos()) {
            return base;
        }
        return Math.min(previous.idleLimitNanos() * 2, base * MAX_IDLE_FACTOR);
    }

    /** Topics nobody asked for during their idle limit, and with nothing waiting for an acknowledgement any more. */
    List<String> expired(long nowNanos) {
        List<String> expired = new ArrayList<>();
        long ackTimeout = settings.ackTimeout().toNanos();
        for (TopicSubscription subscription : topics.values()) {
            if (!subscription.waiters.isEmpty()) {
                continue;
            }
            long idle = nowNanos - subscription.lastRequestNanos;
            if (idle >= idleLimits.get(subscription.topic) && (!subscription.hasUnacked() || idle >= ackTimeout)) {
                expired.add(subscription.topic);
            }
        }
        return expired;
    }

    void leave(String topic, long nowNanos) {
        topics.remove(topic);
        initialOffsets.remove(topic);
        left.put(topic, new Left(nowNanos, idleLimits.remove(topic)));
    }

    void clear() {
        topics.clear();
        initialOffsets.clear();
    }

    /** The idle limit {@code topic} has now, for tests and logs. */
    long idleLimitNanos(String topic) {
        return idleLimits.getOrDefault(topic, settings.subscriptionTimeout().toNanos());
    }
}
