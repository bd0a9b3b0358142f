package io.kafkagateway.http;

import io.kafkagateway.core.GatewayException;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The message of a produce request, by content type: the body for {@code text/plain} and JSON types, the
 * {@code msg} field for forms. Media type parameters such as {@code charset} are accepted and the bytes kept as sent.
 */
final class MessageBody {

    private MessageBody() {
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    static boolean isForm(String contentType) {
        return mediaType(contentType).equals(FORM);
    }

    static byte[] read(RoutingContext ctx, RequestParams params) {
        String contentType = ctx.request().getHeader("Content-Type");
        String mediaType = mediaType(contentType);
        if (mediaType.equals("text/plain") || isJson(mediaType)) {
            return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        }
        if (mediaType.equals(FORM)) {
            String msg = params.first("msg");
            if (msg == null || msg.isEmpty()) {
                throw GatewayException.invalid("empty message");
            }
            return msg.getBytes(StandardCharsets.UTF_8);
        }
        throw GatewayException.invalid("unsupported content type " + (contentType == null ? "" : contentType)
                + "; use text/plain, application/json or application/x-www-form-urlencoded (with the message in msg)");
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
