package io.kafkagateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The WebSocket front-end ({@code websocket:}, ours): where it listens ({@code addr} empty: on {@code tcp_addr},
 * beside the REST API), how many sockets it holds at once, the largest frame a client may send, whether it agrees to
 * compress messages (permessage-deflate) when a client offers, and its three dialects.
 */
public record WebSocketSettings(
        String addr,
        Integer maxConnections,
        Integer maxFrameBytes,
        Boolean compression,
        @JsonProperty("native") NativeDialectSettings nativeDialect,
        KafkaProxyDialectSettings kafkaProxy,
        ApisixDialectSettings apisix) {

    /** Path prefixes of the REST API, which shares the listener by default. */
    private static final java.util.List<String> RESERVED = java.util.List.of("/topics", "/clusters", "/_ping");

    public static final WebSocketSettings DEFAULTS = new WebSocketSettings(null, null, null, null, null, null, null);

    public WebSocketSettings {
        addr = Check.address("addr", addr, "", true);
        maxConnections = Check.atLeast("max_connections", maxConnections, 1, 1000);
        maxFrameBytes = Check.atLeast("max_frame_bytes", maxFrameBytes, 1024, 2 * 1024 * 1024);
        compression = Check.orDefault(compression, false);
        nativeDialect = Check.orDefault(nativeDialect, NativeDialectSettings.DEFAULTS);
        kafkaProxy = Check.orDefault(kafkaProxy, KafkaProxyDialectSettings.DEFAULTS);
        apisix = Check.orDefault(apisix, ApisixDialectSettings.DEFAULTS);
        java.util.Map<String, String> paths = new java.util.LinkedHashMap<>();
        paths.put("native.path", nativeDialect.path());
        paths.put("kafka_proxy.path", kafkaProxy.path());
        paths.put("apisix.path", apisix.path());
        java.util.Set<String> seen = new java.util.HashSet<>();
        paths.forEach((key, path) -> {
            if (!seen.add(path)) {
                throw new IllegalConfigurationException(key, "'" + path + "' is already the path of another dialect");
            }
            for (String reserved : RESERVED) {
                if (path.equals(reserved) || path.startsWith(reserved + "/")) {
                    throw new IllegalConfigurationException(key, "'" + path + "' is taken by the REST API (" + reserved + ")");
                }
            }
        });
    }


    /** Served on its own listener rather than beside the REST API. */
    public boolean ownListener() {
        return !addr.isEmpty();
    }
}
