package io.kafkagateway.core;

import java.util.List;

/** What a consumer instance answers (see {@link InstanceCommand}). */
public sealed interface InstanceReply {

    /** The instance was created under this name. */
    record Created(String name) implements InstanceReply {
    }

    /** Done; nothing to report. */
    record Done() implements InstanceReply {
    }

    record Subscription(List<String> topics) implements InstanceReply {
        public Subscription {
            topics = List.copyOf(topics);
        }
    }

    record Assignments(List<InstanceCommand.Partition> partitions) implements InstanceReply {
        public Assignments {
            partitions = List.copyOf(partitions);
        }
    }

    /** Committed offsets (Kafka's: the next offset to read); a partition without one is left out. */
    record Committed(List<InstanceCommand.Offset> offsets) implements InstanceReply {
        public Committed {
            offsets = List.copyOf(offsets);
        }
    }

    /** Records, to be rendered in {@code format} (the instance's). */
    record Records(List<Record> records, RecordFormat format) implements InstanceReply {
        public Records {
            records = List.copyOf(records);
        }
    }

    /** One record as Kafka holds it; key and value may be null. */
    record Record(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                  List<RecordHeader> headers) {
        public Record {
            headers = List.copyOf(headers);
        }

        /** Bytes counted against a request's {@code max_bytes}: key and value, as Confluent counts them. */
        public long size() {
            return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        }
    }
}
