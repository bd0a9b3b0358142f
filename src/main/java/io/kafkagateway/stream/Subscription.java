package io.kafkagateway.stream;

import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.Groups;
import io.kafkagateway.core.Topics;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a streaming consumer asks for: a group's messages of some topics, where the group starts if it never committed
 * ({@code initialOffset} null: the cluster's setting), how many messages may come before the client grants more, and
 * whether messages count as acknowledged when sent ({@code autoAck}) or wait for the client's acknowledgement, and
 * whether the messages one poll takes travel in one frame ({@code batch}) or one frame each.
 */
public record Subscription(String cluster, String group, List<String> topics, InitialOffset initialOffset, long credits,
                           boolean autoAck, boolean batch) {

    /** Topics one stream may subscribe to. */
    public static final int MAX_TOPICS = 100;
    /** Credits a client may hold at once; grants above it are capped. */
    public static final long MAX_CREDITS = 100_000;

    /** @throws GatewayException INVALID_REQUEST naming what is wrong */
    public Subscription {
        Groups.validate(group);
        if (topics == null || topics.isEmpty() || topics.size() > MAX_TOPICS) {
            throw GatewayException.invalid("subscribe to between 1 and " + MAX_TOPICS + " topics");
        }
        topics = List.copyOf(new LinkedHashSet<>(topics));
        topics.forEach(Topics::validate);
        if (credits < 0) {
            throw GatewayException.invalid("credits must not be negative, got " + credits);
        }
        credits = Math.min(MAX_CREDITS, credits);
    }
}
