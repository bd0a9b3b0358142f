package io.kafkagateway.ws;

import io.vertx.core.Future;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The kafka-proxy socket that consumes each (cluster, group, topic, partition): one at a time, as in the original,
 * where a new socket closes the old one; sockets on other partitions of the topic are left alone. Shared by the event
 * loops; each session runs on its own.
 */
final class KafkaProxyOwners {

    record Key(String cluster, String group, String topic, int partition) {
    }

    private final ConcurrentHashMap<Key, KafkaProxySession> owners = new ConcurrentHashMap<>();

    /** Makes {@code session} the owner; the future completes once the previous owner closed and committed its place. */
    Future<Void> claim(Key key, KafkaProxySession session) {
        KafkaProxySession previous = owners.put(key, session);
        return previous == null ? Future.succeededFuture() : previous.replaced();
    }

    void release(Key key, KafkaProxySession session) {
        owners.remove(key, session);
    }
}
