package io.kafkagateway.config;

/**
 * The gateway's own WebSocket dialect: consumer groups, acknowledgements, produce and credits, on {@code path} (default
 * cluster) and {@code /clusters/<name><path>}. {@code max_credits} caps what one socket may be granted at once.
 */
public record NativeDialectSettings(Boolean enabled, String path, Integer maxCredits) {

    public static final NativeDialectSettings DEFAULTS = new NativeDialectSettings(null, null, null);

    public NativeDialectSettings {
        enabled = Check.orDefault(enabled, true);
        path = Check.path("path", path, "/ws");
        maxCredits = Check.atLeast("max_credits", maxCredits, 1, 10_000);
    }
}
