package io.kafkagateway.grpc;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.common.GrpcHeaderNames;
import io.vertx.grpc.common.GrpcStatus;

import java.util.regex.Pattern;

/**
 * In front of the {@code GrpcServer}: answers at the HTTP level what Vert.x 5.0.7 would answer wrongly or never. A
 * content type other than {@code application/grpc[+proto]} on HTTP/2 gets 415 (Vert.x answered {@code application/json}
 * with 500, taking it for transcoding, and served gRPC-Web); a method other than POST gets 405 (Vert.x served GET);
 * a {@code grpc-encoding} other than identity or gzip gets UNIMPLEMENTED with {@code grpc-accept-encoding}, as the
 * gRPC spec says (Vert.x threw on its first compressed message and never answered). A call without compression is
 * marked {@link #UNCOMPRESSED}, so that a message with the compressed flag set anyway reaches
 * {@link GrpcMessages} as one of an unknown encoding instead of throwing in Vert.x's deframer.
 */
final class GrpcGate implements Handler<HttpServerRequest> {

    /** The {@code grpc-encoding} a call without compression is given, so that a compressed flag on it is seen. */
    static final String UNCOMPRESSED = "x-kgw-uncompressed";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,40}");

    private final Handler<HttpServerRequest> grpc;

    GrpcGate(Handler<HttpServerRequest> grpc) {
        this.grpc = grpc;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (request.version() != HttpVersion.HTTP_2
                || !("application/grpc".equals(type) || "application/grpc+proto".equals(type))) {
            request.response().setStatusCode(415).end();
            return;
        }
        if (request.method() != HttpMethod.POST) {
            request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST").end();
            return;
        }
        String encoding = request.getHeader(GrpcHeaderNames.GRPC_ENCODING);
        if (encoding == null || encoding.equals("identity")) {
            request.headers().set(GrpcHeaderNames.GRPC_ENCODING, UNCOMPRESSED);
        } else if (!encoding.equals("gzip")) {
            request.response().setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/grpc")
                    .putHeader(GrpcHeaderNames.GRPC_STATUS, GrpcStatus.UNIMPLEMENTED.toString())
                    .putHeader(GrpcHeaderNames.GRPC_MESSAGE, "grpc-encoding "
                            + (TOKEN.matcher(encoding).matches() ? encoding + " " : "") + "is not supported; use gzip or identity")
                    .putHeader(GrpcHeaderNames.GRPC_ACCEPT_ENCODING, "gzip")
                    .end();
            return;
        }
        grpc.handle(request);
    }
}
