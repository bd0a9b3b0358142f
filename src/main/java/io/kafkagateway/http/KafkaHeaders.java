package io.kafkagateway.http;

import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.RecordHeader;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Record headers sent as HTTP headers: {@code X-Kafka-<Name>: <base64 value>} becomes record header {@code <Name>}.
 * Names are canonicalised the way Kafka-Pixy's Go server saw them ({@code x-kafka-trace-id} gives {@code Trace-Id}).
 */
final class KafkaHeaders {

    private static final String PREFIX = "X-Kafka-";

    private KafkaHeaders() {
    }

    static List<RecordHeader> parse(MultiMap httpHeaders) {
        List<RecordHeader> headers = new ArrayList<>();
        for (Map.Entry<String, String> entry : httpHeaders) {
            if (!entry.getKey().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                continue;
            }
            String canonical = canonical(entry.getKey());
            if (!canonical.startsWith(PREFIX)) {
                continue;
            }
            String name = canonical.substring(PREFIX.length());
            if (name.isEmpty()) {
                throw GatewayException.invalid("header " + entry.getKey() + " has no record header name after X-Kafka-");
            }
            try {
                headers.add(new RecordHeader(name, Base64.getDecoder().decode(entry.getValue().trim())));
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalid("Invalid base64 encoding for header: " + canonical);
            }
        }
        return headers;
    }

    /** Go's canonical MIME header key: first letter and letters after '-' upper case, others lower case. */
    static String canonical(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                return name;
            }
        }
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static boolean isTokenChar(char c) {
        return c < 127 && c > 32 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
