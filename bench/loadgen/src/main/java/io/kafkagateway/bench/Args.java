package io.kafkagateway.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs after the command name; every option has a default so the harness passes only what it changes. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    private Args(Map<String, String> values) {
        this.values.putAll(values);
    }

    Args(String[] argv, int from) {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value, got " + a);
            }
            values.put(a.substring(2), argv[++i]);
        }
    }

    /** These arguments with {@code name} set to {@code value}. */
    Args with(String name, String value) {
        Args copy = new Args(values);
        copy.values.put(name, value);
        return copy;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String str(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(str(name, Integer.toString(fallback)));
    }

    double seconds(String name, double fallback) {
        return Double.parseDouble(str(name, Double.toString(fallback)));
    }

    String bootstrap() {
        return str("bootstrap", "127.0.0.1:49092");
    }

    String host() {
        return str("host", "127.0.0.1");
    }

    /** The message value: {@code size} bytes cycling through [0-9A-Za-z]; bench/wrk/common.lua builds the same. */
    byte[] payload() {
        int size = integer("size", 100);
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) alphabet.charAt(i % alphabet.length());
        }
        return value;
    }
}
