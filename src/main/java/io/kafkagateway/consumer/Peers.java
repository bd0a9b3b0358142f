package io.kafkagateway.consumer;

import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.OffsetSetting;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;

/**
 * The other gateways of a clustered deployment, as the consumer engine sees them: Kafka decides which member owns a
 * partition; an owner makes itself reachable for it ({@link #claim}), and a gateway asked about a partition or topic
 * it does not own passes the request to the owner. {@link #NONE} is a gateway on its own: nothing is reachable, every
 * forward finds no owner.
 */
public interface Peers {

    /** What an owner does with requests other gateways pass it; called on the engine's event loop. */
    interface PartitionOwner {
        /** @throws io.kafkagateway.core.GatewayException as a local acknowledgement would */
        void ack(long offset);

        Future<Void> setOffset(OffsetSetting setting);
    }

    /** A member owning partitions of a topic, for consume requests of gateways that own none. */
    interface TopicOwner {
        /** Succeeds with null when nothing came within {@code wait}. */
        Future<ConsumedBatch> consume(ConsumeRequest request, Duration wait);
    }

    /** Being reachable for a partition or topic; {@link #release()} completes once no gateway is sent there any more. */
    interface Claim {
        Future<Void> release();
    }

    /** No other gateway: forwards find no owner ({@link #NO_OWNER}). */
    Peers NONE = new Peers() {
        @Override
        public boolean clustered() {
            return false;
        }

        @Override
        public Claim claim(String group, TopicPartition partition, PartitionOwner owner) {
            return Future::succeededFuture;
        }

        @Override
        public Claim claim(String group, String topic, TopicOwner owner) {
            return Future::succeededFuture;
        }

        @Override
        public Future<Void> ack(String group, TopicPartition partition, long offset) {
            return Future.failedFuture(NO_OWNER);
        }

        @Override
        public Future<Void> setOffset(String group, String topic, OffsetSetting setting) {
            return Future.failedFuture(NO_OWNER);
        }

        @Override
        public Future<ConsumedBatch> consume(ConsumeRequest request, Duration wait) {
            return Future.failedFuture(NO_OWNER);
        }
    };

    /** The failure of a forward that found no owner at that moment (the caller answers as a lone gateway would). */
    RuntimeException NO_OWNER = new IllegalStateException("no gateway owns it") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    /** Whether a forward failed because nobody owns the partition now (no gateway, or the owner let it go). */
    static boolean noOwner(Throwable failure) {
        return failure == NO_OWNER || failure instanceof io.kafkagateway.core.GatewayException e
                && e.code() == io.kafkagateway.core.ErrorCode.PARTITION_NOT_OWNED;
    }

    boolean clustered();

    Claim claim(String group, TopicPartition partition, PartitionOwner owner);

    Claim claim(String group, String topic, TopicOwner owner);

    /** Acknowledges at the partition's owner; fails with {@link #NO_OWNER} or the owner's error. */
    Future<Void> ack(String group, TopicPartition partition, long offset);

    /** Moves the group in one partition at its owner ({@code setting} resolved: no -1/-2). */
    Future<Void> setOffset(String group, String topic, OffsetSetting setting);

    /**
     * Takes messages from a gateway owning partitions of the topic, waiting there up to {@code wait}; succeeds with
     * null when the wait ran out. The batch's receipt reports back to that gateway.
     */
    Future<ConsumedBatch> consume(ConsumeRequest request, Duration wait);
}
