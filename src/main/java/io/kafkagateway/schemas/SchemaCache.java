package io.kafkagateway.schemas;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReply;
import io.kafkagateway.registry.AvroFormat;
import io.vertx.core.Future;
import org.apache.avro.Schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A front-end's view of the schema registry: schemas by id (kept, as an id never changes its schema) and the id of a
 * schema under a subject (kept briefly), so that producing and reading records asks the registry once per schema, not
 * per record. Confined to the front-end's event loop; both maps are bounded.
 */
public final class SchemaCache {

    private static final int MAX_ENTRIES = 1024;
    private static final long ID_TTL_NANOS = 30_000_000_000L;

    private record Known(int id, long at) {
    }

    private final ClusterClient clusters;
    private final String cluster;
    private final Map<Integer, Schema> byId = lru();
    private final Map<String, Known> ids = lru();

    public SchemaCache(ClusterClient clusters, String cluster) {
        this.clusters = clusters;
        this.cluster = cluster;
    }

    /** The Avro schema of {@code id}; an id the registry does not know fails with its 40403. */
    public Future<Schema> avro(int id) {
        Schema known = byId.get(id);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return clusters.schemas(cluster, new SchemaCommand.ById(id)).compose(reply -> {
            SchemaCommand.Schema schema = ((SchemaReply.ById) reply).schema();
            if (!"AVRO".equals(schema.type())) {
                return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST, 42207, "schema " + id + " is "
                        + schema.type() + ", not Avro"));
            }
            return referenced(schema, 0).map(references -> {
                Schema parsed = ((AvroFormat.AvroSchema) new AvroFormat().parse(schema.schema(), references)).schema();
                byId.put(id, parsed);
                return parsed;
            });
        });
    }

    /** The id of {@code schema} under {@code subject}: looked up, and registered when the subject lacks it. */
    public Future<Integer> idFor(String subject, SchemaCommand.Schema schema) {
        String key = subject + '\u0000' + schema.type() + '\u0000' + schema.schema();
        Known known = ids.get(key);
        if (known != null && System.nanoTime() - known.at() < ID_TTL_NANOS) {
            return Future.succeededFuture(known.id());
        }
        return clusters.schemas(cluster, new SchemaCommand.Lookup(subject, schema, false))
                .map(reply -> ((SchemaReply.Registered) reply).id())
                .recover(missing -> notRegistered(missing)
                        ? clusters.schemas(cluster, new SchemaCommand.Register(subject, schema)).map(reply -> ((SchemaReply.Id) reply).id())
                        : Future.failedFuture(missing))
                .onSuccess(id -> ids.put(key, new Known(id, System.nanoTime())));
    }

    /** The texts of what {@code schema} references, by import name, referenced ones first. */
    private Future<Map<String, String>> referenced(SchemaCommand.Schema schema, int depth) {
        Map<String, String> texts = new LinkedHashMap<>();
        if (schema.references().isEmpty() || depth > 32) {
            return Future.succeededFuture(texts);
        }
        Future<Void> chain = Future.succeededFuture();
        for (var reference : schema.references()) {
            chain = chain.compose(v -> clusters.schemas(cluster, new SchemaCommand.Version(reference.subject(),
                    Integer.toString(reference.version()), true)).compose(reply -> {
                SchemaCommand.Schema used = ((SchemaReply.Registered) reply).schema();
                return referenced(used, depth + 1).map(nested -> {
                    nested.forEach(texts::putIfAbsent);
                    texts.putIfAbsent(reference.name(), used.schema());
                    return null;
                });
            }));
        }
        return chain.map(texts);
    }

    private static boolean notRegistered(Throwable failure) {
        int detail = GatewayException.from(failure).detail();
        return detail == 40401 || detail == 40403;
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }
}
