package io.kafkagateway.core;

/** Names from requests, made safe to show in an error message or a log line. */
final class Names {

    private static final int MAX_SHOWN = 100;

    private Names() {
    }

    /** {@code name} with control and non-ASCII characters escaped ({@code \u0000}), cut after 100 characters. */
    static String printable(String name) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < name.length() && i < MAX_SHOWN; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                shown.append(String.format("\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        if (name.length() > MAX_SHOWN) {
            shown.append("...");
        }
        return shown.toString();
    }
}
