package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.ConfluentSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * The routes of Confluent's REST Proxy API v2 (and v1's content types): produce, consumer instances, metadata.
 * Translates only; the engine behind {@link ClusterClient} decides.
 */
final class ConfluentApi {

    /** The largest request body taken (a produce request of many records). */
    static final long MAX_BODY_BYTES = 64L << 20;
    private static final String RESPONSE_VERSION = "confluent.version";

    private ConfluentApi() {
    }

    /** {@code registryCluster}: where the gateway's schema registry lives, or null when it has none. */
    static Router router(Vertx vertx, ClusterClient clusters, String cluster, ConfluentSettings settings, String registryCluster) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            // v1 requests (by Content-Type or Accept) are answered with v1 types, the rest with v2.
            boolean v1 = MediaTypes.parse(ctx.request().getHeader("Content-Type")).v1()
                    || MediaTypes.accepted(ctx.request().getHeader("Accept")).stream().anyMatch(MediaTypes::v1);
            ctx.put(RESPONSE_VERSION, v1 ? "v1" : "v2");
            ctx.next();
        });
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        ConfluentMetadata metadata = new ConfluentMetadata(clusters, cluster);
        io.kafkagateway.schemas.SchemaCache schemas = registryCluster == null ? null
                : new io.kafkagateway.schemas.SchemaCache(clusters, registryCluster);
        ConfluentProduce produce = new ConfluentProduce(clusters, cluster, metadata,
                schemas == null ? null : new AvroProduce(schemas));
        ConfluentConsumers consumers = new ConfluentConsumers(clusters, cluster, settings,
                schemas == null ? null : new AvroRecords(schemas));
        router.get("/topics").handler(metadata::topics);
        router.get("/topics/:topic").handler(metadata::topic);
        router.post("/topics/:topic").handler(produce::toTopic);
        router.get("/topics/:topic/partitions").handler(metadata::partitions);
        router.get("/topics/:topic/partitions/:partition").handler(metadata::partition);
        router.post("/topics/:topic/partitions/:partition").handler(produce::toPartition);
        router.get("/topics/:topic/partitions/:partition/offsets").handler(metadata::offsets);
        router.get("/brokers").handler(metadata::brokers);
        consumers.mount(router);
        router.route().last().handler(ctx -> ConfluentErrors.refuse(ctx, 404, 404, "HTTP 404 Not Found"));
        router.errorHandler(405, ctx -> ConfluentErrors.refuse(ctx, 405, 405, "HTTP 405 Method Not Allowed"));
        router.errorHandler(413, ctx -> ConfluentErrors.refuse(ctx, 413, 413, "the request body is larger than "
                + MAX_BODY_BYTES + " bytes; send fewer records per request"));
        router.errorHandler(500, ctx -> ConfluentErrors.render(ctx, ctx.failure()));
        return router;
    }

    /** The Content-Type of this request's answers: Confluent's v1 or v2 type. */
    static String responseType(RoutingContext ctx) {
        String records = ctx.get("confluent.records.type");
        if (records != null) {
            return records;
        }
        return "v1".equals(ctx.get(RESPONSE_VERSION)) ? "application/vnd.kafka.v1+json" : "application/vnd.kafka.v2+json";
    }

    /**
     * Whether the Accept header takes Confluent's JSON answers (no Accept, any type, generic JSON or Confluent's
     * types without an embedded format); answers 406 and false when it does not.
     */
    static boolean acceptsJson(RoutingContext ctx) {
        List<MediaTypes> accepted = MediaTypes.accepted(ctx.request().getHeader("Accept"));
        Predicate<MediaTypes> json = t -> t.kind() == MediaTypes.Kind.ANY || t.kind() == MediaTypes.Kind.JSON
                || (t.kind() == MediaTypes.Kind.KAFKA && t.embedded() == MediaTypes.Embedded.NONE);
        if (accepted.stream().anyMatch(json)) {
            return true;
        }
        ConfluentErrors.refuse(ctx, 406, 406, "HTTP 406 Not Acceptable");
        return false;
    }

    /**
     * Whether the request's body type is one this endpoint takes (Confluent's types without an embedded format, or
     * generic JSON); answers 415 and false when it is not. A request without a body passes when {@code bodyOptional}.
     */
    static boolean takesJsonBody(RoutingContext ctx, boolean bodyOptional) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null && (bodyOptional || ctx.body().length() == 0)) {
            return true;
        }
        MediaTypes type = MediaTypes.parse(contentType);
        boolean ok = type.kind() == MediaTypes.Kind.JSON || type.kind() == MediaTypes.Kind.OCTET_STREAM
                || (type.kind() == MediaTypes.Kind.KAFKA && type.embedded() == MediaTypes.Embedded.NONE);
        if (!ok) {
            ConfluentErrors.refuse(ctx, 415, 415, "HTTP 415 Unsupported Media Type");
        }
        return ok;
    }

    /** The body as JSON; null (after a 422) when it does not parse. An empty body is a missing node. */
    static JsonNode body(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        try {
            return ConfluentErrors.MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            ConfluentErrors.refuse(ctx, 422, 422, "the request body is not JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : String.valueOf(e.getMessage())));
            return null;
        }
    }

    /** Answers {@code status} with {@code body} (JSON text), or 204 without a body when {@code body} is null. */
    static void answer(RoutingContext ctx, int status, Object body) {
        if (ctx.response().closed() || ctx.response().headWritten()) {
            return;
        }
        if (body == null) {
            ctx.response().setStatusCode(status).end();
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", responseType(ctx))
                    .end(Buffer.buffer(ConfluentErrors.MAPPER.writeValueAsBytes(body)));
        } catch (IOException e) {
            ConfluentErrors.render(ctx, e);
        }
    }

    /** Runs {@code call}, answering its failure in Confluent's terms. */
    static <T> void then(RoutingContext ctx, Future<T> call, java.util.function.Consumer<T> onSuccess) {
        call.onComplete(done -> {
            if (done.succeeded()) {
                onSuccess.accept(done.result());
            } else {
                ConfluentErrors.render(ctx, done.cause());
            }
        });
    }

    /** A path parameter that must be a partition number; null after a 404 (Confluent: the partition cannot exist). */
    static Integer partitionParam(RoutingContext ctx) {
        try {
            int partition = Integer.parseInt(ctx.pathParam("partition"));
            if (partition >= 0) {
                return partition;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        ConfluentErrors.refuse(ctx, 404, 40402, "Partition not found.");
        return null;
    }
}
