package io.kafkagateway.config;

/**
 * A {@code host:port} listen or connect address. An empty host (as in {@code :19092}) means every interface;
 * IPv6 hosts are written in brackets ({@code [::1]:19092}).
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
    }

    public static HostPort parse(String text) {
        String s = text == null ? "" : text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (e.g. 0.0.0.0:19092 or localhost:9092)");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' has an IPv6 host without brackets; write [" + host + "]:port");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' does not end in a port number (e.g. localhost:9092)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "' has port " + port + ", outside 0-65535");
        }
        return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
