package io.kafkagateway.kafka;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each cluster's Kafka clients are, as the management port reports it: {@code /ready} needs every cluster
 * reachable; {@code /health} fails once a client is broken beyond what waiting mends (its thread has died), so that
 * an orchestrator restarts the gateway. Written by the cluster verticles' probes, read by the management port.
 */
public final class ClientHealth {

    /** STARTING until the first probe; UNREACHABLE: Kafka does not answer (may come back); BROKEN: restart. */
    public enum State { STARTING, UP, UNREACHABLE, BROKEN }

    /** One cluster's state and, when not up, why. */
    public record Status(State state, String reason) {
    }

    private final Map<String, Status> clusters = new ConcurrentHashMap<>();

    void set(String cluster, State state, String reason) {
        clusters.put(cluster, new Status(state, reason));
    }

    /** Every cluster's clients answer. */
    public boolean ready() {
        return clusters.values().stream().allMatch(s -> s.state() == State.UP);
    }

    /** No cluster's clients are broken. */
    public boolean alive() {
        return clusters.values().stream().noneMatch(s -> s.state() == State.BROKEN);
    }

    public Map<String, Status> clusters() {
        return new TreeMap<>(clusters);
    }
}
