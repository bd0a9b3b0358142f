package io.kafkagateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to the Confluent API as curl sends them: a method, a path, Content-Type and Accept when given, a body. */
public final class ConfluentClient {

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public ConfluentClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Response send(String method, String path, String contentType, String accept, String body) {
        return send(method, path, contentType, accept, body, new String[0]);
    }

    /** As above, with more headers (name, value, name, value...). */
    public Response send(String method, String path, String contentType, String accept, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Response get(String path, String accept) {
        return send("GET", path, null, accept, null);
    }

    public Response post(String path, String contentType, String body) {
        return send("POST", path, contentType, null, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null, null);
    }
}
