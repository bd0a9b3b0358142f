package io.kafkagateway.confluent;

import io.vertx.core.http.HttpServerRequest;

import java.util.Locale;

/**
 * The base of the absolute URLs the API hands out ({@code base_uri}): {@code confluent.advertised_url} when set,
 * else the request's own address as its client saw it: RFC 7239 {@code Forwarded} (proto, host), then
 * {@code X-Forwarded-Proto} / {@code X-Forwarded-Host} (as load balancers set them), then {@code Host}.
 */
final class BaseUri {

    private BaseUri() {
    }

    static String of(HttpServerRequest request, String advertised) {
        if (advertised != null) {
            return advertised;
        }
        String proto = null;
        String host = null;
        String forwarded = request.getHeader("Forwarded");
        if (forwarded != null) {
            // the first element is the client's side of the first proxy
            for (String pair : forwarded.split(",", 2)[0].split(";")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length == 2) {
                    String value = unquote(kv[1].trim());
                    switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                        case "proto" -> proto = value;
                        case "host" -> host = value;
                        default -> {
                        }
                    }
                }
            }
        }
        if (proto == null) {
            proto = first(request.getHeader("X-Forwarded-Proto"));
        }
        if (host == null) {
            host = first(request.getHeader("X-Forwarded-Host"));
        }
        if (proto == null || !(proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) {
            proto = request.isSSL() ? "https" : "http";
        }
        if (host == null || !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            host = request.authority() != null ? request.authority().toString() : request.localAddress().toString();
        }
        return proto.toLowerCase(Locale.ROOT) + "://" + host;
    }

    private static String first(String header) {
        return header == null ? null : header.split(",", 2)[0].trim();
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
