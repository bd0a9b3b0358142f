package io.kafkagateway.core;

import java.util.List;
import java.util.Objects;

/**
 * What a front-end asks of a consumer instance: a named member of a Kafka consumer group with a position of its own,
 * as Confluent's REST Proxy has them (records advance the position when they are returned; offsets are committed on
 * request, or periodically with auto-commit). Every command names its instance by group and name.
 */
public sealed interface InstanceCommand {

    String group();

    String name();

    /** A topic partition as the commands name it. */
    record Partition(String topic, int partition) {
        public Partition {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /** A partition and an offset: a position to seek to, or an offset to commit (the last one read, Confluent's rule). */
    record Offset(String topic, int partition, long offset, String metadata) {
        public Offset {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /**
     * Creates the instance. {@code offsetReset} is Kafka's {@code auto.offset.reset} (earliest, latest, none);
     * {@code requestTimeoutMillis} (0: the configured one) bounds its records waits.
     */
    record Create(String group, String name, RecordFormat format, String offsetReset, boolean autoCommit,
                  int fetchMinBytes, long requestTimeoutMillis) implements InstanceCommand {
    }

    /** Leaves the group at once (committing first with auto-commit) and forgets the instance. */
    record Delete(String group, String name) implements InstanceCommand {
    }

    /** Subscribes to {@code topics}, or to the topics matching {@code pattern} (exactly one of the two is set). */
    record Subscribe(String group, String name, List<String> topics, String pattern) implements InstanceCommand {
        public Subscribe {
            topics = topics == null ? null : List.copyOf(topics);
        }
    }

    record Unsubscribe(String group, String name) implements InstanceCommand {
    }

    record GetSubscription(String group, String name) implements InstanceCommand {
    }

    /** Manual assignment: these partitions, outside the group's rebalancing. */
    record Assign(String group, String name, List<Partition> partitions) implements InstanceCommand {
        public Assign {
            partitions = List.copyOf(partitions);
        }
    }

    record GetAssignments(String group, String name) implements InstanceCommand {
    }

    /** Moves the positions of assigned partitions to the given offsets. */
    record Seek(String group, String name, List<Offset> offsets) implements InstanceCommand {
        public Seek {
            offsets = List.copyOf(offsets);
        }
    }

    /** Moves the positions of assigned partitions to their beginning ({@code beginning}) or end. */
    record SeekToEdge(String group, String name, List<Partition> partitions, boolean beginning) implements InstanceCommand {
        public SeekToEdge {
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * Commits {@code offsets} (each the last offset read: Kafka stores the next one), or, when null, the position after
     * everything the instance returned so far.
     */
    record Commit(String group, String name, List<Offset> offsets) implements InstanceCommand {
        public Commit {
            offsets = offsets == null ? null : List.copyOf(offsets);
        }
    }

    /** The group's committed offsets of these partitions. */
    record GetCommitted(String group, String name, List<Partition> partitions) implements InstanceCommand {
        public GetCommitted {
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * Records that arrive within {@code timeoutMillis} (capped by the configured request timeout), at most
     * {@code maxBytes} of keys and values; {@code subscribeTo}, when set, first subscribes the instance to that one
     * topic unless it already is (v1's read of a topic). {@code format} is the instance's embedded format, which the
     * engine checks each record against before it returns it (a record that is not one stops the answer before it).
     */
    record Records(String group, String name, long timeoutMillis, long maxBytes, String subscribeTo,
                   RecordFormat format) implements InstanceCommand {
    }
}
