package io.kafkagateway.instances;

import io.kafkagateway.config.ConfluentSettings;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.Failures;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.InstanceCommand;
import io.kafkagateway.core.InstanceReply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Kafka side of the instance commands: each runs on the instance's poll thread with its consumer, and its outcome
 * comes back to the registry's event loop, Kafka's refusals translated into the gateway's error type.
 */
final class InstanceCalls {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceCalls.class);
    /** How long a records request that had to subscribe first may wait for the group to assign partitions. */
    private static final Duration JOIN_WAIT = Duration.ofSeconds(15);

    private final Context context;

    InstanceCalls(Context context) {
        this.context = context;
    }

    Future<InstanceReply> run(ConsumerInstance instance, InstanceCommand command) {
        InstancePoller poller = instance.poller();
        if (command instanceof InstanceCommand.Subscribe s) {
            return subscribe(instance, s);
        }
        if (command instanceof InstanceCommand.Unsubscribe) {
            return done(instance, c -> {
                if (c.subscription().isEmpty()) {
                    poller.release(c.assignment()); // by hand: no rebalance listener tells of the partitions going
                }
                c.unsubscribe();
                return null;
            });
        }
        if (command instanceof InstanceCommand.GetSubscription) {
            return this.<InstanceReply>call(instance, c ->
                    new InstanceReply.Subscription(c.subscription().stream().sorted().toList()));
        }
        if (command instanceof InstanceCommand.Assign a) {
            return done(instance, c -> {
                if (!c.subscription().isEmpty()) {
                    throw new IllegalStateException("Subscription to topics, partitions and pattern are mutually exclusive.");
                }
                List<TopicPartition> partitions = a.partitions().stream().map(InstanceCalls::partition).toList();
                Set<TopicPartition> gone = new HashSet<>(c.assignment());
                partitions.forEach(gone::remove);
                poller.release(gone); // the partitions kept keep their positions and what was fetched of them
                c.assign(partitions);
                return null;
            });
        }
        if (command instanceof InstanceCommand.GetAssignments) {
            return this.<InstanceReply>call(instance, c -> new InstanceReply.Assignments(c.assignment().stream()
                    .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                    .map(tp -> new InstanceCommand.Partition(tp.topic(), tp.partition())).toList()));
        }
        if (command instanceof InstanceCommand.Seek seek) {
            return moved(instance, c -> {
                Map<TopicPartition, Long> positions = new HashMap<>();
                for (InstanceCommand.Offset o : seek.offsets()) {
                    TopicPartition tp = new TopicPartition(o.topic(), o.partition());
                    requireAssigned(c, tp); // every partition checked before any moves: all or nothing
                    positions.put(tp, o.offset());
                }
                positions.forEach((tp, offset) -> {
                    poller.newEpoch(tp);
                    c.seek(tp, offset);
                });
                return positions;
            });
        }
        if (command instanceof InstanceCommand.SeekToEdge edge) {
            return moved(instance, c -> {
                List<TopicPartition> partitions = edge.partitions().stream().map(InstanceCalls::partition).toList();
                partitions.forEach(tp -> requireAssigned(c, tp));
                partitions.forEach(poller::newEpoch);
                if (edge.beginning()) {
                    c.seekToBeginning(partitions);
                } else {
                    c.seekToEnd(partitions);
                }
                Map<TopicPartition, Long> positions = new HashMap<>();
                partitions.forEach(tp -> positions.put(tp, c.position(tp)));
                return positions;
            });
        }
        if (command instanceof InstanceCommand.Commit commit) {
            return commit(instance, commit);
        }
        if (command instanceof InstanceCommand.GetCommitted get) {
            return call(instance, c -> {
                Set<TopicPartition> partitions = new HashSet<>();
                get.partitions().forEach(p -> partitions.add(partition(p)));
                List<InstanceCommand.Offset> offsets = new ArrayList<>();
                c.committed(partitions).forEach((tp, committed) -> {
                    if (committed != null) {
                        offsets.add(new InstanceCommand.Offset(tp.topic(), tp.partition(), committed.offset(),
                                committed.metadata()));
                    }
                });
                offsets.sort(Comparator.comparing(InstanceCommand.Offset::topic).thenComparingInt(InstanceCommand.Offset::partition));
                return new InstanceReply.Committed(offsets);
            });
        }
        return Future.failedFuture(GatewayException.invalid("not an instance command here: " + command));
    }

    /** A records request: subscribes first when it reads a topic the instance does not (v1), then waits for records. */
    Future<InstanceReply> records(ConsumerInstance instance, InstanceCommand.Records records, ConfluentSettings.Consumer settings) {
        long maxBytes = records.maxBytes() > 0 ? Math.min(records.maxBytes(), settings.maxBytes().bytes())
                : settings.maxBytes().bytes();
        long timeout = records.timeoutMillis() >= 0 ? Math.min(records.timeoutMillis(), instance.requestTimeoutMillis)
                : instance.requestTimeoutMillis;
        if (records.subscribeTo() == null) {
            return instance.records(timeout, maxBytes, records.format()).map(r -> (InstanceReply) r);
        }
        String topic = records.subscribeTo();
        Future<Boolean> subscribed = call(instance, c -> {
            if (c.subscription().contains(topic)) {
                return false;
            }
            if (!c.assignment().isEmpty() && c.subscription().isEmpty()) {
                throw new IllegalStateException("the instance has partitions assigned by hand; it cannot also subscribe to " + topic);
            }
            Set<String> topics = new HashSet<>(c.subscription());
            topics.add(topic);
            c.subscribe(topics, instance.poller().listener());
            return true;
        });
        return subscribed.compose(fresh -> {
            if (!fresh) {
                return instance.records(timeout, maxBytes, records.format());
            }
            // Joining the group takes longer than a records request waits: the first read waits for it.
            return instance.joined().timeout(JOIN_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .recover(slow -> Future.succeededFuture())
                    .compose(joined -> instance.records(timeout, maxBytes, records.format()));
        }).map(r -> r);
    }

    /** Auto-commit: the positions after what was returned since the last commit. */
    void autoCommit(ConsumerInstance instance) {
        Map<TopicPartition, OffsetAndMetadata> due = instance.autoCommitDue();
        if (due.isEmpty()) {
            return;
        }
        instance.poller().call(c -> {
            Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(due);
            owned.keySet().retainAll(c.assignment());
            if (!owned.isEmpty()) {
                c.commitSync(owned);
            }
            return owned;
        }).whenComplete((committed, failure) -> context.runOnContext(v -> {
            if (failure == null) {
                instance.autoCommitted(committed);
            } else {
                LOG.atWarn().addKeyValue("group", instance.group).addKeyValue("instance", instance.name)
                        .addKeyValue("error", String.valueOf(Failures.unwrap(failure))).log("auto-commit failed; retried in 5 s");
            }
        }));
    }

    private Future<InstanceReply> subscribe(ConsumerInstance instance, InstanceCommand.Subscribe s) {
        if (s.pattern() != null) {
            Pattern pattern;
            try {
                pattern = Pattern.compile(s.pattern());
            } catch (PatternSyntaxException e) {
                return Future.failedFuture(GatewayException.invalid("topic_pattern '" + s.pattern()
                        + "' is not a regular expression: " + e.getDescription()));
            }
            return done(instance, c -> {
                c.subscribe(pattern, instance.poller().listener());
                return null;
            });
        }
        return done(instance, c -> {
            c.subscribe(s.topics(), instance.poller().listener());
            return null;
        });
    }

    private Future<InstanceReply> commit(ConsumerInstance instance, InstanceCommand.Commit commit) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        if (commit.offsets() == null) {
            offsets.putAll(instance.returnedOffsets());
        } else {
            // Confluent's rule: the offset given is the last one read; Kafka stores the next one to read.
            commit.offsets().forEach(o -> offsets.put(new TopicPartition(o.topic(), o.partition()),
                    new OffsetAndMetadata(o.offset() + 1, o.metadata() == null ? "" : o.metadata())));
        }
        if (offsets.isEmpty()) {
            return Future.succeededFuture(new InstanceReply.Committed(List.of()));
        }
        return this.<InstanceReply>call(instance, c -> {
            if (commit.offsets() == null) {
                offsets.keySet().retainAll(c.assignment()); // what was returned of partitions still this instance's
            }
            c.commitSync(offsets);
            List<InstanceCommand.Offset> done = new ArrayList<>();
            offsets.forEach((tp, o) -> done.add(new InstanceCommand.Offset(tp.topic(), tp.partition(), o.offset(), o.metadata())));
            done.sort(Comparator.comparing(InstanceCommand.Offset::topic).thenComparingInt(InstanceCommand.Offset::partition));
            return new InstanceReply.Committed(done);
        }).onSuccess(ok -> {
            if (commit.offsets() == null) {
                instance.autoCommitted(offsets);
            }
        });
    }

    private Future<InstanceReply> moved(ConsumerInstance instance, Function<Consumer<byte[], byte[]>, Map<TopicPartition, Long>> seek) {
        return call(instance, seek).map(positions -> {
            instance.moved(positions);
            return new InstanceReply.Done();
        });
    }

    private Future<InstanceReply> done(ConsumerInstance instance, Function<Consumer<byte[], byte[]>, Void> work) {
        return call(instance, work).map(nothing -> new InstanceReply.Done());
    }

    /** Runs {@code work} on the instance's thread; its outcome (Kafka's refusal translated) on the event loop. */
    private <T> Future<T> call(ConsumerInstance instance, Function<Consumer<byte[], byte[]>, T> work) {
        return Future.fromCompletionStage(instance.poller().call(work), context)
                .recover(failure -> Future.failedFuture(translate(Failures.unwrap(failure))));
    }

    private static void requireAssigned(Consumer<byte[], byte[]> consumer, TopicPartition partition) {
        if (!consumer.assignment().contains(partition)) {
            throw new IllegalStateException("partition " + partition.partition() + " of topic " + partition.topic()
                    + " is not assigned to this consumer instance (assigned: " + consumer.assignment() + ")");
        }
    }

    private static GatewayException translate(Throwable failure) {
        if (failure instanceof IllegalStateException e) {
            String message = e.getMessage();
            if (message != null && message.contains("mutually exclusive")) {
                message = "Subscription to topics, partitions and pattern are mutually exclusive.";
            }
            return new GatewayException(ErrorCode.CONFLICTING_STATE, String.valueOf(message));
        }
        if (failure instanceof IllegalArgumentException e) {
            return GatewayException.invalid(String.valueOf(e.getMessage()));
        }
        return GatewayException.from(failure);
    }

    private static TopicPartition partition(InstanceCommand.Partition p) {
        return new TopicPartition(p.topic(), p.partition());
    }
}
