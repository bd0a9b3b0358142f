package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.ConfluentSettings;
import io.kafkagateway.core.InstanceCommand;
import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.core.RecordFormat;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Confluent's consumer instances: create, delete, subscription, assignments, positions, offsets and records, each
 * translated into an {@link InstanceCommand} for the engine's instance registry.
 */
final class ConfluentConsumers {

    private static final String INSTANCE = "/consumers/:group/instances/:instance";

    private final ClusterClient clusters;
    private final String cluster;
    private final ConfluentSettings settings;
    /** Decodes avro instances' records, when the gateway has a schema registry; else null. */
    private final AvroRecords avro;

    ConfluentConsumers(ClusterClient clusters, String cluster, ConfluentSettings settings, AvroRecords avro) {
        this.clusters = clusters;
        this.cluster = cluster;
        this.settings = settings;
        this.avro = avro;
    }

    void mount(Router router) {
        router.post("/consumers/:group").handler(this::create);
        router.delete(INSTANCE).handler(ctx -> command(ctx, false, new InstanceCommand.Delete(group(ctx), name(ctx)), 204));
        router.post(INSTANCE + "/subscription").handler(this::subscribe);
        router.get(INSTANCE + "/subscription").handler(ctx -> call(ctx, true,
                new InstanceCommand.GetSubscription(group(ctx), name(ctx)), reply -> {
                    ObjectNode body = ConfluentErrors.MAPPER.createObjectNode();
                    ArrayNode topics = body.putArray("topics");
                    ((InstanceReply.Subscription) reply).topics().forEach(topics::add);
                    ConfluentApi.answer(ctx, 200, body);
                }));
        router.delete(INSTANCE + "/subscription").handler(ctx ->
                command(ctx, false, new InstanceCommand.Unsubscribe(group(ctx), name(ctx)), 204));
        router.post(INSTANCE + "/assignments").handler(ctx -> withBody(ctx, body ->
                new InstanceCommand.Assign(group(ctx), name(ctx), partitions(body)), 204));
        router.get(INSTANCE + "/assignments").handler(ctx -> call(ctx, true,
                new InstanceCommand.GetAssignments(group(ctx), name(ctx)), reply -> {
                    ObjectNode body = ConfluentErrors.MAPPER.createObjectNode();
                    ArrayNode partitions = body.putArray("partitions");
                    ((InstanceReply.Assignments) reply).partitions().forEach(p ->
                            partitions.addObject().put("topic", p.topic()).put("partition", p.partition()));
                    ConfluentApi.answer(ctx, 200, body);
                }));
        router.post(INSTANCE + "/positions").handler(ctx -> withBody(ctx, body ->
                new InstanceCommand.Seek(group(ctx), name(ctx), offsets(body, true)), 204));
        router.post(INSTANCE + "/positions/beginning").handler(ctx -> withBody(ctx, body ->
                new InstanceCommand.SeekToEdge(group(ctx), name(ctx), partitions(body), true), 204));
        router.post(INSTANCE + "/positions/end").handler(ctx -> withBody(ctx, body ->
                new InstanceCommand.SeekToEdge(group(ctx), name(ctx), partitions(body), false), 204));
        router.post(INSTANCE + "/offsets").handler(this::commit);
        router.get(INSTANCE + "/offsets").handler(this::committed);
        router.get(INSTANCE + "/records").handler(ctx -> records(ctx, null));
        router.get(INSTANCE + "/topics/:topic").handler(ctx -> records(ctx, ctx.pathParam("topic")));
    }

    private void create(RoutingContext ctx) {
        if (!ConfluentApi.takesJsonBody(ctx, true) || !ConfluentApi.acceptsJson(ctx)) {
            return;
        }
        JsonNode body = ConfluentApi.body(ctx);
        if (body == null) {
            return;
        }
        boolean v1 = MediaTypes.parse(ctx.request().getHeader("Content-Type")).v1();
        InstanceConfig config;
        try {
            config = InstanceConfig.parse(body, v1, avro != null);
        } catch (InstanceConfig.Invalid e) {
            ConfluentErrors.refuse(ctx, 422, e.errorCode, e.getMessage());
            return;
        }
        String group = group(ctx);
        InstanceCommand.Create create = new InstanceCommand.Create(group, config.name(), config.format(),
                config.offsetReset(), config.autoCommit(), config.fetchMinBytes(), config.requestTimeoutMillis());
        call(ctx, false, create, reply -> {
            String name = ((InstanceReply.Created) reply).name();
            ConfluentApi.answer(ctx, 200, ConfluentErrors.MAPPER.createObjectNode().put("instance_id", name)
                    .put("base_uri", BaseUri.of(ctx.request(), settings.advertisedUrl()) + "/consumers/" + group
                            + "/instances/" + name));
        });
    }

    private void subscribe(RoutingContext ctx) {
        withBody(ctx, body -> {
            boolean hasTopics = body.has("topics");
            boolean hasPattern = body.hasNonNull("topic_pattern");
            if (hasTopics == hasPattern) {
                throw new InstanceConfig.Invalid(hasTopics ? 40903 : 422, hasTopics
                        ? "Subscription to topics, partitions and pattern are mutually exclusive."
                        : "the body needs \"topics\" (a list of topic names) or \"topic_pattern\" (a regular expression)");
            }
            if (hasPattern) {
                return new InstanceCommand.Subscribe(group(ctx), name(ctx), null, body.get("topic_pattern").asText());
            }
            List<String> topics = new ArrayList<>();
            if (!body.get("topics").isArray() || body.get("topics").isEmpty()) {
                throw new InstanceConfig.Invalid(422, "\"topics\" must be a non-empty list of topic names");
            }
            body.get("topics").forEach(t -> topics.add(t.asText()));
            return new InstanceCommand.Subscribe(group(ctx), name(ctx), topics, null);
        }, 204);
    }

    private void commit(RoutingContext ctx) {
        withBody(ctx, body -> new InstanceCommand.Commit(group(ctx), name(ctx),
                body.isMissingNode() || body.isNull() || (body.isObject() && body.isEmpty()) ? null : offsets(body, false)), 200);
    }

    private void committed(RoutingContext ctx) {
        if (!ConfluentApi.takesJsonBody(ctx, true) || !ConfluentApi.acceptsJson(ctx)) {
            return;
        }
        JsonNode body = ConfluentApi.body(ctx);
        if (body == null) {
            return;
        }
        List<InstanceCommand.Partition> partitions;
        try {
            partitions = partitions(body);
        } catch (InstanceConfig.Invalid e) {
            ConfluentErrors.refuse(ctx, 422, e.errorCode, e.getMessage());
            return;
        }
        call(ctx, false, new InstanceCommand.GetCommitted(group(ctx), name(ctx), partitions), reply -> {
            ObjectNode answer = ConfluentErrors.MAPPER.createObjectNode();
            ArrayNode offsets = answer.putArray("offsets");
            ((InstanceReply.Committed) reply).offsets().forEach(o -> offsets.addObject().put("topic", o.topic())
                    .put("partition", o.partition()).put("offset", o.offset()).put("metadata", o.metadata()));
            ConfluentApi.answer(ctx, 200, answer);
        });
    }

    private void records(RoutingContext ctx, String v1Topic) {
        RecordFormat expected;
        try {
            expected = RecordsAccept.expected(ctx.request().getHeader("Accept"));
        } catch (RecordsAccept.Unacceptable e) {
            ConfluentErrors.refuse(ctx, 406, e.errorCode, e.getMessage());
            return;
        }
        long timeout;
        long maxBytes;
        try {
            timeout = longParam(ctx, "timeout", -1);
            maxBytes = longParam(ctx, "max_bytes", -1);
        } catch (NumberFormatException e) {
            ConfluentErrors.refuse(ctx, 400, 400, e.getMessage());
            return;
        }
        InstanceCommand.Records command = new InstanceCommand.Records(group(ctx), name(ctx), timeout, maxBytes, v1Topic, expected);
        ConfluentApi.then(ctx, clusters.instance(cluster, command), reply -> {
            InstanceReply.Records records = (InstanceReply.Records) reply;
            if (records.format() != RecordFormat.AVRO || records.records().isEmpty()) {
                answerRecords(ctx, records, v1Topic == null, null);
                return;
            }
            ConfluentApi.then(ctx, avro.decode(records), decoded -> {
                if (decoded.failure() == null) {
                    answerRecords(ctx, records, v1Topic == null, decoded);
                    return;
                }
                // the instance goes back to the record that does not decode (and what followed it), then answers
                Future<InstanceReply> back = clusters.instance(cluster, new InstanceCommand.Seek(group(ctx), name(ctx),
                        AvroRecords.positionsFrom(records, decoded.count())));
                back.onComplete(done -> {
                    if (decoded.count() == 0) {
                        ConfluentErrors.render(ctx, decoded.failure());
                    } else {
                        answerRecords(ctx, records, v1Topic == null, decoded);
                    }
                });
            });
        });
    }

    private static void answerRecords(RoutingContext ctx, InstanceReply.Records records, boolean withTopic,
                                      AvroRecords.Decoded decoded) {
        ArrayNode body = RecordsView.render(records, withTopic, decoded);
        ctx.put("confluent.records.type", RecordsAccept.type(records.format(), ConfluentApi.responseType(ctx)));
        ConfluentApi.answer(ctx, 200, body);
    }

    /** Parses the body into a command (an {@link InstanceConfig.Invalid} answers 422) and answers {@code status}. */
    private void withBody(RoutingContext ctx, java.util.function.Function<JsonNode, InstanceCommand> command, int status) {
        if (!ConfluentApi.takesJsonBody(ctx, true) || !ConfluentApi.acceptsJson(ctx)) {
            return;
        }
        JsonNode body = ConfluentApi.body(ctx);
        if (body == null) {
            return;
        }
        InstanceCommand built;
        try {
            built = command.apply(body);
        } catch (InstanceConfig.Invalid e) {
            ConfluentErrors.refuse(ctx, e.errorCode == 40903 ? 409 : 422, e.errorCode, e.getMessage());
            return;
        }
        call(ctx, false, built, reply -> ConfluentApi.answer(ctx, status, null));
    }

    private void command(RoutingContext ctx, boolean json, InstanceCommand command, int status) {
        call(ctx, json, command, reply -> ConfluentApi.answer(ctx, status, null));
    }

    private void call(RoutingContext ctx, boolean answersJson, InstanceCommand command,
                      java.util.function.Consumer<InstanceReply> onReply) {
        if (answersJson && !ConfluentApi.acceptsJson(ctx)) {
            return;
        }
        Future<InstanceReply> reply = clusters.instance(cluster, command);
        ConfluentApi.then(ctx, reply, onReply);
    }

    static List<InstanceCommand.Partition> partitions(JsonNode body) {
        JsonNode list = body.path("partitions");
        if (!list.isArray()) {
            throw new InstanceConfig.Invalid(422, "the body needs \"partitions\": [{\"topic\": ..., \"partition\": ...}]");
        }
        List<InstanceCommand.Partition> partitions = new ArrayList<>();
        int i = 0;
        for (JsonNode p : list) {
            partitions.add(new InstanceCommand.Partition(text(p, "topic", "partitions[" + i + "]"),
                    integer(p, "partition", "partitions[" + i + "]")));
            i++;
        }
        return partitions;
    }

    static List<InstanceCommand.Offset> offsets(JsonNode body, boolean positions) {
        JsonNode list = body.path("offsets");
        if (!list.isArray() || (positions && list.isEmpty())) {
            throw new InstanceConfig.Invalid(422, "the body needs \"offsets\": [{\"topic\": ..., \"partition\": ..., \"offset\": ...}]");
        }
        List<InstanceCommand.Offset> offsets = new ArrayList<>();
        int i = 0;
        for (JsonNode o : list) {
            String where = "offsets[" + i++ + "]";
            JsonNode offset = o.path("offset");
            if (!offset.isIntegralNumber() || offset.longValue() < 0) {
                throw new InstanceConfig.Invalid(422, where + ".offset must be an offset (0 or more), not " + offset);
            }
            offsets.add(new InstanceCommand.Offset(text(o, "topic", where), integer(o, "partition", where),
                    offset.longValue(), o.hasNonNull("metadata") ? o.get("metadata").asText() : null));
        }
        return offsets;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new InstanceConfig.Invalid(422, where + "." + field + " must be a topic name");
        }
        return value.textValue();
    }

    private static int integer(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new InstanceConfig.Invalid(422, where + "." + field + " must be a partition number");
        }
        return value.intValue();
    }

    private static long longParam(RoutingContext ctx, String name, long fallback) {
        String value = ctx.request().getParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new NumberFormatException(name + " must be a whole number of " + (name.equals("timeout") ? "milliseconds" : "bytes")
                    + ", not '" + value + "'");
        }
    }

    private static String group(RoutingContext ctx) {
        return ctx.pathParam("group");
    }

    private static String name(RoutingContext ctx) {
        return ctx.pathParam("instance");
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
