package io.kafkagateway.http;

import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.Groups;

import java.util.List;
import java.util.Locale;

/** The consume-side parameters, with Kafka-Pixy's names and texts, and the checks Pixy skipped. */
final class ConsumerParams {

    private ConsumerParams() {
    }

    /** Exactly one non-empty {@code group}; when not {@code required}, also none (null). */
    static String group(RequestParams params, boolean required) {
        List<String> groups = params.all("group");
        if (groups.size() > 1 || (required && groups.isEmpty())) {
            throw GatewayException.invalid("one consumer group is expected, but " + groups.size() + " provided");
        }
        if (groups.isEmpty()) {
            return null;
        }
        return Groups.validate(groups.get(0));
    }

    /** A partition number (0 or more), or null when absent. */
    static Integer partition(RequestParams params, String name) {
        String value = params.first(name);
        if (value == null) {
            return null;
        }
        try {
            int partition = Integer.parseInt(value.trim());
            if (partition >= 0) {
                return partition;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GatewayException.invalid("bad " + name + ": '" + value + "' is not a partition number (0 or more)");
    }

    /** An offset (0 or more), or null when absent. */
    static Long offset(RequestParams params, String name) {
        String value = params.first(name);
        if (value == null) {
            return null;
        }
        try {
            long offset = Long.parseLong(value.trim());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw GatewayException.invalid("bad " + name + ": '" + value + "' is not an offset (0 or more)");
    }

    /** Where a new group starts ({@code earliest} or {@code latest}), or null for the cluster's setting. */
    static InitialOffset initialOffset(RequestParams params) {
        String value = params.first("initialOffset");
        if (value == null) {
            return null;
        }
        try {
            return InitialOffset.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalid("bad initialOffset: '" + value + "'; use earliest or latest");
        }
    }
}
