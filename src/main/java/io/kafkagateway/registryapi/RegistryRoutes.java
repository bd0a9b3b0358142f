package io.kafkagateway.registryapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReference;
import io.kafkagateway.core.SchemaReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.kafkagateway.registryapi.RegistryHttp.MAPPER;
import static io.kafkagateway.registryapi.RegistryHttp.flag;
import static io.kafkagateway.registryapi.RegistryHttp.then;

/** The routes of Confluent's Schema Registry API, each a {@link SchemaCommand} for the registry behind the bus. */
final class RegistryRoutes {

    /** The largest request body taken: a schema with its references. */
    static final long MAX_BODY_BYTES = 8L << 20;

    private final ClusterClient clusters;
    private final String cluster;

    private RegistryRoutes(ClusterClient clusters, String cluster) {
        this.clusters = clusters;
        this.cluster = cluster;
    }

    static Router router(Vertx vertx, ClusterClient clusters, String cluster) {
        RegistryRoutes routes = new RegistryRoutes(clusters, cluster);
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.get("/").handler(ctx -> then(ctx, Future.succeededFuture(), v -> MAPPER.createObjectNode()));
        router.get("/schemas/types").handler(ctx -> routes.call(ctx, new SchemaCommand.Types(), RegistryRoutes::names));
        router.get("/schemas/ids/:id").handler(ctx -> routes.byId(ctx, false));
        router.get("/schemas/ids/:id/schema").handler(ctx -> routes.byId(ctx, true));
        router.get("/schemas/ids/:id/versions").handler(routes::versionsById);
        router.get("/subjects").handler(ctx -> routes.call(ctx, new SchemaCommand.Subjects(
                ctx.request().getParam("subjectPrefix"), flag(ctx, "deleted")), RegistryRoutes::names));
        router.get("/subjects/:subject/versions").handler(ctx -> routes.call(ctx,
                new SchemaCommand.Versions(subject(ctx), flag(ctx, "deleted")), RegistryRoutes::numbers));
        router.post("/subjects/:subject/versions").handler(routes::register);
        router.get("/subjects/:subject/versions/:version").handler(ctx -> routes.call(ctx,
                new SchemaCommand.Version(subject(ctx), ctx.pathParam("version"), flag(ctx, "deleted")), RegistryRoutes::registered));
        router.get("/subjects/:subject/versions/:version/schema").handler(ctx -> routes.call(ctx,
                new SchemaCommand.Version(subject(ctx), ctx.pathParam("version"), flag(ctx, "deleted")),
                reply -> rawSchema(((SchemaReply.Registered) reply).schema())));
        router.get("/subjects/:subject/versions/:version/referencedby").handler(ctx -> routes.call(ctx,
                new SchemaCommand.ReferencedBy(subject(ctx), ctx.pathParam("version"), flag(ctx, "deleted")), RegistryRoutes::numbers));
        router.delete("/subjects/:subject/versions/:version").handler(ctx -> routes.call(ctx,
                new SchemaCommand.DeleteVersion(subject(ctx), ctx.pathParam("version"), flag(ctx, "permanent")),
                reply -> ((SchemaReply.Number) reply).number()));
        router.post("/subjects/:subject").handler(routes::lookup);
        router.delete("/subjects/:subject").handler(ctx -> routes.call(ctx,
                new SchemaCommand.DeleteSubject(subject(ctx), flag(ctx, "permanent")), RegistryRoutes::numbers));
        router.get("/config").handler(ctx -> routes.call(ctx, new SchemaCommand.GetConfig(null, true), RegistryRoutes::level));
        router.put("/config").handler(ctx -> routes.setConfig(ctx, null));
        router.delete("/config").handler(ctx -> routes.call(ctx, new SchemaCommand.DeleteConfig(null), RegistryRoutes::level));
        router.get("/config/:subject").handler(ctx -> routes.call(ctx,
                new SchemaCommand.GetConfig(subject(ctx), flag(ctx, "defaultToGlobal")), RegistryRoutes::level));
        router.put("/config/:subject").handler(ctx -> routes.setConfig(ctx, subject(ctx)));
        router.delete("/config/:subject").handler(ctx -> routes.call(ctx, new SchemaCommand.DeleteConfig(subject(ctx)),
                RegistryRoutes::level));
        router.get("/mode").handler(ctx -> routes.call(ctx, new SchemaCommand.GetMode(null), RegistryRoutes::mode));
        router.put("/mode").handler(ctx -> routes.setMode(ctx, null));
        router.get("/mode/:subject").handler(ctx -> routes.call(ctx, new SchemaCommand.GetMode(subject(ctx)), RegistryRoutes::mode));
        router.put("/mode/:subject").handler(ctx -> routes.setMode(ctx, subject(ctx)));
        router.delete("/mode/:subject").handler(ctx -> routes.call(ctx, new SchemaCommand.SetMode(subject(ctx), null),
                RegistryRoutes::mode));
        router.post("/compatibility/subjects/:subject/versions/:version").handler(ctx -> routes.check(ctx, ctx.pathParam("version")));
        router.post("/compatibility/subjects/:subject/versions").handler(ctx -> routes.check(ctx, null));
        router.route().last().handler(ctx -> RegistryHttp.refuse(ctx, 404, 404, "HTTP 404 Not Found"));
        router.errorHandler(405, ctx -> RegistryHttp.refuse(ctx, 405, 405, "HTTP 405 Method Not Allowed"));
        router.errorHandler(413, ctx -> RegistryHttp.refuse(ctx, 413, 413, "the request body is larger than "
                + MAX_BODY_BYTES + " bytes"));
        router.errorHandler(500, ctx -> RegistryHttp.render(ctx, ctx.failure()));
        return router;
    }

    private void call(RoutingContext ctx, SchemaCommand command, java.util.function.Function<SchemaReply, Object> view) {
        then(ctx, clusters.schemas(cluster, command), view);
    }

    private void byId(RoutingContext ctx, boolean raw) {
        Integer id = id(ctx);
        if (id != null) {
            call(ctx, new SchemaCommand.ById(id), reply -> {
                SchemaCommand.Schema schema = ((SchemaReply.ById) reply).schema();
                return raw ? rawSchema(schema) : schemaFields(MAPPER.createObjectNode(), schema);
            });
        }
    }

    private void versionsById(RoutingContext ctx) {
        Integer id = id(ctx);
        if (id != null) {
            call(ctx, new SchemaCommand.VersionsById(id, flag(ctx, "deleted")), reply -> {
                ArrayNode uses = MAPPER.createArrayNode();
                ((SchemaReply.SubjectVersions) reply).versions().forEach(v ->
                        uses.addObject().put("subject", v.subject()).put("version", v.version()));
                return uses;
            });
        }
    }

    private void register(RoutingContext ctx) {
        SchemaCommand.Schema schema = schemaBody(ctx);
        if (schema != null) {
            call(ctx, new SchemaCommand.Register(subject(ctx), schema),
                    reply -> MAPPER.createObjectNode().put("id", ((SchemaReply.Id) reply).id()));
        }
    }

    private void lookup(RoutingContext ctx) {
        SchemaCommand.Schema schema = schemaBody(ctx);
        if (schema != null) {
            call(ctx, new SchemaCommand.Lookup(subject(ctx), schema, flag(ctx, "deleted")), RegistryRoutes::registered);
        }
    }

    private void check(RoutingContext ctx, String version) {
        SchemaCommand.Schema schema = schemaBody(ctx);
        if (schema != null) {
            boolean verbose = flag(ctx, "verbose");
            call(ctx, new SchemaCommand.Check(subject(ctx), version, schema, verbose), reply -> {
                SchemaReply.Compatible compatible = (SchemaReply.Compatible) reply;
                ObjectNode answer = MAPPER.createObjectNode().put("is_compatible", compatible.compatible());
                if (verbose) {
                    ArrayNode messages = answer.putArray("messages");
                    compatible.messages().forEach(messages::add);
                }
                return answer;
            });
        }
    }

    private void setConfig(RoutingContext ctx, String subject) {
        JsonNode body = RegistryHttp.body(ctx);
        if (body != null) {
            call(ctx, new SchemaCommand.SetConfig(subject, body.path("compatibility").asText("")),
                    reply -> MAPPER.createObjectNode().put("compatibility", ((SchemaReply.Compatibility) reply).compatibility()));
        }
    }

    private void setMode(RoutingContext ctx, String subject) {
        JsonNode body = RegistryHttp.body(ctx);
        if (body != null) {
            call(ctx, new SchemaCommand.SetMode(subject, body.path("mode").asText("")), RegistryRoutes::mode);
        }
    }

    /** {@code {"schema": "...", "schemaType": ..., "references": [...]}}; null after a 422. */
    private static SchemaCommand.Schema schemaBody(RoutingContext ctx) {
        JsonNode body = RegistryHttp.body(ctx);
        if (body == null) {
            return null;
        }
        JsonNode schema = body.path("schema");
        if (!schema.isTextual()) {
            RegistryHttp.refuse(ctx, 422, 42201, "Invalid schema: the body needs \"schema\": the schema as a JSON string");
            return null;
        }
        JsonNode type = body.path("schemaType");
        List<SchemaReference> references = new ArrayList<>();
        int i = 0;
        for (JsonNode r : body.path("references")) {
            if (!r.path("name").isTextual() || !r.path("subject").isTextual() || !r.path("version").canConvertToInt()) {
                RegistryHttp.refuse(ctx, 422, 42201, "Invalid schema: references[" + i
                        + "] needs \"name\", \"subject\" and \"version\" (a number)");
                return null;
            }
            references.add(new SchemaReference(r.path("name").asText(), r.path("subject").asText(), r.path("version").asInt()));
            i++;
        }
        String typeName = type.isTextual() && !type.asText().isBlank() ? type.asText().trim().toUpperCase(Locale.ROOT) : "AVRO";
        return new SchemaCommand.Schema(typeName, schema.asText(), references);
    }

    private static String subject(RoutingContext ctx) {
        return ctx.pathParam("subject");
    }

    private static Integer id(RoutingContext ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            RegistryHttp.refuse(ctx, 404, 40403, "Schema " + ctx.pathParam("id") + " not found");
            return null;
        }
    }

    private static Object names(SchemaReply reply) {
        return ((SchemaReply.Names) reply).names();
    }

    private static Object numbers(SchemaReply reply) {
        return ((SchemaReply.Numbers) reply).numbers();
    }

    private static Object level(SchemaReply reply) {
        return MAPPER.createObjectNode().put("compatibilityLevel", ((SchemaReply.Compatibility) reply).compatibility());
    }

    private static Object mode(SchemaReply reply) {
        return MAPPER.createObjectNode().put("mode", ((SchemaReply.Mode) reply).mode());
    }

    private static Object registered(SchemaReply reply) {
        SchemaReply.Registered r = (SchemaReply.Registered) reply;
        ObjectNode answer = MAPPER.createObjectNode().put("subject", r.subject()).put("version", r.version()).put("id", r.id());
        return schemaFields(answer, r.schema());
    }

    /** schemaType (except for Avro), references (when there are any) and schema, as Confluent's answers carry them. */
    private static ObjectNode schemaFields(ObjectNode into, SchemaCommand.Schema schema) {
        if (!"AVRO".equals(schema.type())) {
            into.put("schemaType", schema.type());
        }
        if (!schema.references().isEmpty()) {
            ArrayNode references = into.putArray("references");
            schema.references().forEach(r -> references.addObject().put("name", r.name()).put("subject", r.subject())
                    .put("version", r.version()));
        }
        return into.put("schema", schema.schema());
    }

    /** The schema itself: a JSON document for Avro and JSON Schema, a string for Protobuf. */
    private static Object rawSchema(SchemaCommand.Schema schema) {
        if ("PROTOBUF".equals(schema.type())) {
            return MAPPER.getNodeFactory().textNode(schema.schema());
        }
        try {
            return MAPPER.readTree(schema.schema());
        } catch (IOException e) {
            return MAPPER.getNodeFactory().textNode(schema.schema());
        }
    }
}
