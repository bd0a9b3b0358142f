package io.kafkagateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** Validation helpers for config records: each failure names the key and says what is allowed. */
final class Check {

    private Check() {
    }

    static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    static int atLeast(String key, Integer value, int minimum, int fallback) {
        int v = value == null ? fallback : value;
        if (v < minimum) {
            throw new IllegalConfigurationException(key, "must be at least " + minimum + ", got " + v);
        }
        return v;
    }

    static long atLeast(String key, Long value, long minimum, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < minimum) {
            throw new IllegalConfigurationException(key, "must be at least " + minimum + ", got " + value);
        }
        return value;
    }

    static Duration positive(String key, Duration value, Duration fallback) {
        Duration v = value == null ? fallback : value;
        if (v.isNegative() || v.isZero()) {
            throw new IllegalConfigurationException(key, "must be longer than 0, got " + GoDuration.format(v));
        }
        return v;
    }

    static Duration notNegative(String key, Duration value, Duration fallback) {
        Duration v = value == null ? fallback : value;
        if (v.isNegative()) {
            throw new IllegalConfigurationException(key, "must not be negative, got " + GoDuration.format(v));
        }
        return v;
    }

    /** An address, or {@code ""} when {@code optional} and the key is set empty to disable the listener. */
    static String address(String key, String value, String fallback, boolean optional) {
        String v = value == null ? fallback : value.trim();
        if (v == null || (optional && v.isEmpty())) {
            return v;
        }
        parse(key, v, HostPort::parse);
        return v;
    }

    /** A URL path: starts with '/', no query, no spaces. */
    static String path(String key, String value, String fallback) {
        String v = value == null || value.isBlank() ? fallback : value.trim();
        if (!v.startsWith("/") || v.contains("?") || v.contains("#") || v.contains(" ") || v.contains(":")) {
            throw new IllegalConfigurationException(key, "must be a path starting with '/', without query, ':' or spaces; got '" + v + "'");
        }
        return v;
    }

    static <T> T parse(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalConfigurationException(key, e.getMessage());
        }
    }

    static String readableFile(String key, String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalConfigurationException(key, "file '" + path + "' does not exist or is not readable");
        }
        return path;
    }

    /** Kafka's Java client reads PEM private keys only in PKCS#8 form; say how to convert anything else. */
    static void pkcs8Key(String key, String path) {
        if (path == null) {
            return;
        }
        String pem;
        try {
            pem = Files.readString(Path.of(path));
        } catch (java.io.IOException e) {
            throw new IllegalConfigurationException(key, "file '" + path + "' cannot be read: " + e.getMessage());
        }
        if (!pem.contains("-----BEGIN PRIVATE KEY-----") && !pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalConfigurationException(key, "file '" + path + "' is not a PKCS#8 PEM private key, the only"
                    + " form the Kafka client reads; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + path
                    + " -out key-pkcs8.pem");
        }
    }

    static void bothOrNeither(String keyA, String a, String keyB, String b) {
        if ((a == null) != (b == null)) {
            throw new IllegalConfigurationException(a == null ? keyA : keyB,
                    "must be set together with " + (a == null ? keyB : keyA));
        }
    }
}
