package io.kafkagateway.core;

import java.util.regex.Pattern;

/**
 * The rule for consumer group names, applied before a request reaches Kafka: the characters and length of a topic
 * name. Kafka itself refuses only empty and blank names, and fails deep inside the consumer for them; group names
 * also travel in URLs, logs and metrics, where the narrower rule keeps them unambiguous.
 */
public final class Groups {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private Groups() {
    }

    /** @throws GatewayException INVALID_REQUEST naming what is wrong with {@code group} */
    public static String validate(String group) {
        if (group == null || group.isEmpty()) {
            throw GatewayException.invalid("group must not be empty");
        }
        if (!LEGAL.matcher(group).matches()) {
            throw GatewayException.invalid("invalid group '" + Names.printable(group) + "': a group name has 1 to 249"
                    + " characters, each a letter, digit, '.', '_' or '-'");
        }
        return group;
    }
}
