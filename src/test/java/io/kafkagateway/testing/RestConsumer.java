package io.kafkagateway.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Consumes through a gateway's REST API as a Kafka-Pixy client would, for tests. */
public final class RestConsumer {

    /** A consumed message as the REST API returned it. */
    public record Message(int partition, long offset, String key, String value) {

        static Message of(JsonNode json) {
            return new Message(json.get("partition").asInt(), json.get("offset").asLong(),
                    json.get("key").isNull() ? null : decode(json.get("key").asText()), decode(json.get("value").asText()));
        }

        private static String decode(String base64) {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        }
    }

    private final GatewayTester gateway;
    private final String prefix;
    private final String group;

    public RestConsumer(GatewayTester gateway, String cluster, String topic, String group) {
        this.gateway = gateway;
        this.prefix = (cluster == null ? "" : "/clusters/" + cluster) + "/topics/" + topic;
        this.group = group;
    }

    /** One consume request with the given extra query ({@code &noAck}, say); null on a long-polling timeout. */
    public Message consume(String query) {
        Response response = gateway.get(prefix + "/messages?group=" + group + query);
        if (response.status() == 408) {
            return null;
        }
        if (response.status() != 200) {
            throw new AssertionError("consume answered " + response);
        }
        return Message.of(response.json());
    }

    /**
     * The next message, asking again on long-polling timeouts as a client does (joining a group takes a moment);
     * fails the test when none arrives within 30 seconds.
     */
    public Message next(String query) {
        Message[] received = {null};
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            received[0] = consume(query);
            return received[0] != null;
        });
        return received[0];
    }

    /** Waits until this gateway's member of the group owns partitions of the topic. */
    public void awaitAssigned() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            Response response = gateway.get(prefix + "/consumers?group=" + group);
            return response.status() == 200 && response.json().has(group);
        });
    }

    public Response raw(String query) {
        return gateway.get(prefix + "/messages?group=" + group + query);
    }

    public Response ack(int partition, long offset) {
        return gateway.post(prefix + "/acks?group=" + group + "&partition=" + partition + "&offset=" + offset, null, "");
    }

    public JsonNode offsets() {
        Response response = gateway.get(prefix + "/offsets?group=" + group);
        if (response.status() != 200) {
            throw new AssertionError("offsets answered " + response);
        }
        return response.json();
    }

    /** The committed offset of {@code partition} (-1 when the group never committed). */
    public long committed(int partition) {
        for (JsonNode p : offsets()) {
            if (p.get("partition").asInt() == partition) {
                return p.get("offset").asLong();
            }
        }
        throw new AssertionError("no partition " + partition);
    }
}
