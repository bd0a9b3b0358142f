package io.kafkagateway.registryapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.net.EdgeFailures;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The Schema Registry API's edge: Confluent's media types, JSON bodies, and the one place its errors are rendered,
 * {@code {"error_code": N, "message": "..."}} with the registry's codes (40401 subject not found, 42201 invalid
 * schema, 409 incompatible, ...), the HTTP status being the code's first three digits.
 */
final class RegistryHttp {

    static final String TYPE = "application/vnd.schemaregistry.v1+json";
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
    private static final Set<String> BODY_TYPES = Set.of("application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json", "application/json", "application/octet-stream");

    private RegistryHttp() {
    }

    static void refuse(RoutingContext ctx, int status, int errorCode, String message) {
        EdgeFailures.errorBody(ctx, status, errorCode, message, TYPE);
    }

    /** Any failure, in the registry's terms. */
    static void render(RoutingContext ctx, Throwable failure) {
        if (EdgeFailures.clientGone(failure)) {
            return;
        }
        GatewayException error = GatewayException.from(failure);
        String message = EdgeFailures.clientMessage(error, failure, LOG, ctx.request().path());
        int detail = error.detail();
        if (detail != 0) {
            refuse(ctx, detail >= 10_000 ? detail / 100 : detail, detail, message);
        } else if (error.code() == ErrorCode.INVALID_REQUEST) {
            refuse(ctx, 422, 422, message);
        } else if (error.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            refuse(ctx, 503, 50003, message);
        } else {
            int status = error.code().httpStatus();
            refuse(ctx, status, status == 500 ? 50001 : status, message);
        }
    }

    /** The request's JSON body; null after a refusal (a body type the registry does not take, or not JSON). */
    static JsonNode body(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null) {
            String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!BODY_TYPES.contains(bare)) {
                refuse(ctx, 415, 415, "HTTP 415 Unsupported Media Type: send " + TYPE + " or application/json");
                return null;
            }
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            refuse(ctx, 422, 422, "the request needs a JSON body");
            return null;
        }
        try {
            JsonNode json = MAPPER.readTree(body.getBytes());
            if (json == null || !json.isObject()) {
                refuse(ctx, 422, 422, "the request body must be a JSON object");
                return null;
            }
            return json;
        } catch (IOException e) {
            refuse(ctx, 400, 400, "the request body is not JSON: " + (e instanceof com.fasterxml.jackson.core.JacksonException j
                    ? j.getOriginalMessage() : String.valueOf(e.getMessage())));
            return null;
        }
    }

    /** Answers {@code view} of the call's result as JSON (200), or its failure. */
    static <T> void then(RoutingContext ctx, Future<T> call, Function<T, Object> view) {
        call.onComplete(done -> {
            if (done.failed()) {
                render(ctx, done.cause());
                return;
            }
            if (ctx.response().closed() || ctx.response().headWritten()) {
                return;
            }
            try {
                Object answer = view.apply(done.result());
                byte[] bytes = answer instanceof JsonNode node ? MAPPER.writeValueAsBytes(node) : MAPPER.writeValueAsBytes(answer);
                ctx.response().setStatusCode(200).putHeader("Content-Type", TYPE).end(Buffer.buffer(bytes));
            } catch (IOException | RuntimeException e) {
                render(ctx, e);
            }
        });
    }

    /** A query parameter that is true when given as "true" (any case). */
    static boolean flag(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        return value != null && value.trim().equalsIgnoreCase("true");
    }
}
