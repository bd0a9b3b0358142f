package io.kafkagateway.http;

import io.kafkagateway.core.GatewayException;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters as Kafka-Pixy's Go server read them: names are case-sensitive, a url-encoded form body's values
 * come before the query string's, and a flag is present whatever its value. Malformed encoding is a client error.
 */
final class RequestParams {

    private final Map<String, List<String>> values;

    private RequestParams(Map<String, List<String>> values) {
        this.values = values;
    }

    /** @throws GatewayException INVALID_REQUEST when the query string or form body is not valid url encoding */
    static RequestParams of(RoutingContext ctx) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (MessageBody.isForm(ctx.request().getHeader("Content-Type")) && ctx.body().buffer() != null) {
            merge(values, decode(ctx.body().asString(StandardCharsets.UTF_8.name()), "form body"));
        }
        String query = ctx.request().query();
        if (query != null && !query.isEmpty()) {
            merge(values, decode(query, "query string"));
        }
        return new RequestParams(values);
    }

    private static Map<String, List<String>> decode(String encoded, String what) {
        try {
            return new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false, 1024).parameters();
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalid("malformed " + what + ": " + e.getMessage());
        }
    }

    private static void merge(Map<String, List<String>> into, Map<String, List<String>> from) {
        from.forEach((name, list) -> into.computeIfAbsent(name, n -> new ArrayList<>()).addAll(list));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The first value of {@code name}, or null when absent. */
    String first(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }
}
