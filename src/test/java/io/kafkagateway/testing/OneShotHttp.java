package io.kafkagateway.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request on its own connection ({@code Connection: close}), as a load balancer opening a connection per
 * request would send it: a refused connection is a {@link java.net.ConnectException}, never a pooled connection the
 * server closed a moment before.
 */
public final class OneShotHttp {

    /** A status, its headers (names in lower case) and body. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    private OneShotHttp() {
    }

    public static Reply get(int port, String path) throws IOException {
        return send(port, "GET", path, null);
    }

    public static Reply post(int port, String path, String body) throws IOException {
        return send(port, "POST", path, body);
    }

    private static Reply send(int port, String method, String path, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(30_000);
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Type: text/plain\r\nContent-Length: " + payload.length + "\r\n") + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(payload);
            socket.getOutputStream().flush();
            return parse(readAll(socket));
        }
    }

    /** An answer broken off after some of it came: unlike a refused or reset connection, the server took the request. */
    public static final class CutAnswer extends IOException {
        CutAnswer(int received, IOException cause) {
            super("the answer broke off after " + received + " bytes", cause);
        }
    }

    /** The connection closed before any byte of an answer came: like a reset, the server never answered. */
    public static final class NoAnswer extends IOException {
        NoAnswer() {
            super("the connection closed before any answer");
        }
    }

    private static byte[] readAll(Socket socket) throws IOException {
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                answer.write(buffer, 0, n);
            }
        } catch (IOException e) {
            if (answer.size() > 0) {
                throw new CutAnswer(answer.size(), e);
            }
            throw e;
        }
        return answer.toByteArray();
    }

    private static Reply parse(byte[] raw) throws IOException {
        if (raw.length == 0) {
            throw new NoAnswer();
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete answer: '" + text + "'");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    private static String unchunk(String chunked) {
        String remaining = chunked;
        StringBuilder body = new StringBuilder();
        while (true) {
            int line = remaining.indexOf("\r\n");
            int size = Integer.parseInt(remaining.substring(0, line).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(remaining, line + 2, line + 2 + size);
            remaining = remaining.substring(line + 2 + size + 2);
        }
    }
}
