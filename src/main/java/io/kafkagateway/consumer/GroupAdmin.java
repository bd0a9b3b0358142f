package io.kafkagateway.consumer;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.GroupOffsets;
import io.kafkagateway.core.OffsetSetting;
import io.kafkagateway.core.PartitionOffset;
import io.kafkagateway.core.TopicConsumers;
import io.kafkagateway.kafka.KafkaFutures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Group questions answered from Kafka's admin API: offsets and lag per partition, who consumes a topic, and moving a
 * group's offsets when no member of it runs on this gateway.
 */
final class GroupAdmin {

    private final Admin admin;
    private final Context context;

    GroupAdmin(Admin admin, Context context) {
        this.admin = admin;
        this.context = context;
    }

    Future<GroupOffsets> offsets(String group, String topic) {
        return partitions(topic).compose(partitions -> {
            Future<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> begin = listOffsets(partitions, OffsetSpec.earliest());
            Future<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> end = listOffsets(partitions, OffsetSpec.latest());
            Future<Map<TopicPartition, OffsetAndMetadata>> committed = KafkaFutures.on(context, admin.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions))).partitionsToOffsetAndMetadata(group));
            return Future.all(begin, end, committed).map(all -> new GroupOffsets(partitions.stream()
                    .map(p -> partitionOffset(p, begin.result().get(p).offset(), end.result().get(p).offset(), committed.result().get(p)))
                    .toList()));
        });
    }

    private static PartitionOffset partitionOffset(TopicPartition partition, long begin, long end, OffsetAndMetadata committed) {
        if (committed == null) {
            return new PartitionOffset(partition.partition(), begin, end, PartitionOffset.NONE, null, null);
        }
        String metadata = committed.metadata() == null || committed.metadata().isEmpty() ? null : committed.metadata();
        String sparseAcks = null;
        if (metadata != null) {
            try {
                String described = SparseAcks.describe(committed.offset(), SparseAcks.decode(committed.offset(), metadata));
                sparseAcks = described.isEmpty() ? null : described;
            } catch (IllegalArgumentException notSparseAcks) {
                sparseAcks = null;
            }
        }
        return new PartitionOffset(partition.partition(), begin, end, committed.offset(), metadata, sparseAcks);
    }

    /**
     * Moves the offsets of a group no member of which runs here. Kafka refuses this while the group has members
     * elsewhere: then the answer says so.
     */
    Future<Void> alterOffsets(String group, String topic, List<OffsetSetting> offsets) {
        return resolve(topic, offsets).compose(resolved -> {
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            resolved.forEach(s -> commit.put(new TopicPartition(topic, s.partition()), new OffsetAndMetadata(s.offset(), s.metadataOrEmpty())));
            return KafkaFutures.on(context, admin.alterConsumerGroupOffsets(group, commit).all());
        }).recover(failure -> failure instanceof UnknownMemberIdException || failure instanceof GroupNotEmptyException
                ? Future.failedFuture(new GatewayException(ErrorCode.NON_EMPTY_GROUP, "group " + group
                + " has members on other gateways or Kafka clients; set its offsets through a gateway that"
                + " consumes " + topic + " for it, or stop its consumers first"))
                : Future.failedFuture(failure));
    }

    /**
     * Checks the partitions exist, turns -1 (end) and -2 (beginning) into offsets, and refuses an offset beyond a
     * partition's end: the group would wait there, taking nothing, until the log reached it. An offset below the
     * beginning is kept: consuming starts at the earliest offset still there.
     */
    Future<List<OffsetSetting>> resolve(String topic, List<OffsetSetting> offsets) {
        return partitions(topic).compose(partitions -> {
            for (OffsetSetting setting : offsets) {
                if (!partitions.contains(new TopicPartition(topic, setting.partition()))) {
                    return Future.failedFuture(new GatewayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                            "Unknown partition: " + topic + " has no partition " + setting.partition()));
                }
            }
            if (offsets.isEmpty()) {
                return Future.succeededFuture(offsets);
            }
            List<TopicPartition> named = offsets.stream().map(s -> new TopicPartition(topic, s.partition())).toList();
            List<TopicPartition> oldest = offsets.stream().filter(s -> s.offset() == PartitionOffset.OLDEST)
                    .map(s -> new TopicPartition(topic, s.partition())).toList();
            Future<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> end = listOffsets(named, OffsetSpec.latest());
            Future<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> begin = oldest.isEmpty()
                    ? Future.succeededFuture(Map.of()) : listOffsets(oldest, OffsetSpec.earliest());
            return Future.all(begin, end).compose(all -> {
                List<OffsetSetting> resolved = new ArrayList<>(offsets.size());
                for (OffsetSetting s : offsets) {
                    TopicPartition partition = new TopicPartition(topic, s.partition());
                    long last = end.result().get(partition).offset();
                    if (s.offset() == PartitionOffset.NONE) {
                        resolved.add(new OffsetSetting(s.partition(), last, s.metadata()));
                    } else if (s.offset() == PartitionOffset.OLDEST) {
                        resolved.add(new OffsetSetting(s.partition(), begin.result().get(partition).offset(), s.metadata()));
                    } else if (s.offset() > last) {
                        return Future.failedFuture(GatewayException.invalid("bad offset " + s.offset() + " for partition "
                                + s.partition() + " of " + topic + ": the partition ends at " + last
                                + " (use an offset up to its end, or -1 for the end)"));
                    } else {
                        resolved.add(s);
                    }
                }
                return Future.succeededFuture(resolved);
            });
        });
    }

    /** Members (by client id) and their partitions of {@code topic}, for {@code group} or for every group. */
    Future<TopicConsumers> consumers(String group, String topic) {
        Future<Collection<String>> groups = group != null
                ? Future.succeededFuture(List.of(group))
                : KafkaFutures.on(context, admin.listGroups(new ListGroupsOptions().withTypes(java.util.Set.of(GroupType.CLASSIC, GroupType.CONSUMER))).all())
                        .map(listings -> listings.stream().map(GroupListing::groupId).toList());
        return groups
                .compose(ids -> ids.isEmpty() ? Future.succeededFuture(Map.<String, ConsumerGroupDescription>of())
                        : KafkaFutures.on(context, admin.describeConsumerGroups(ids).all()))
                .recover(failure -> failure instanceof GroupIdNotFoundException
                        ? Future.succeededFuture(Map.of())
                        : Future.failedFuture(failure))
                .compose(descriptions -> {
                    Map<String, Map<String, List<Integer>>> byGroup = new TreeMap<>();
                    descriptions.forEach((id, description) -> {
                        Map<String, List<Integer>> members = members(description, topic);
                        if (!members.isEmpty()) {
                            byGroup.put(id, members);
                        }
                    });
                    if (group != null && byGroup.isEmpty()) {
                        return Future.failedFuture(GatewayException.invalid("either group or topic is incorrect: group "
                                + group + " has no member consuming " + topic));
                    }
                    return Future.succeededFuture(new TopicConsumers(byGroup));
                });
    }

    private static Map<String, List<Integer>> members(ConsumerGroupDescription description, String topic) {
        Map<String, TreeSet<Integer>> partitions = new TreeMap<>();
        for (MemberDescription member : description.members()) {
            member.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(topic))
                    .forEach(p -> partitions.computeIfAbsent(member.clientId(), id -> new TreeSet<>()).add(p.partition()));
        }
        Map<String, List<Integer>> out = new TreeMap<>();
        partitions.forEach((client, set) -> out.put(client, new ArrayList<>(set)));
        return out;
    }

    private Future<List<TopicPartition>> partitions(String topic) {
        return KafkaFutures.on(context, admin.describeTopics(List.of(topic)).allTopicNames())
                .map(descriptions -> descriptions.get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList())
                .recover(failure -> failure instanceof UnknownTopicOrPartitionException
                        ? Future.failedFuture(new GatewayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Unknown topic"))
                        : Future.failedFuture(failure));
    }

    private Future<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> listOffsets(List<TopicPartition> partitions,
                                                                                          OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec, (a, b) -> a));
        return KafkaFutures.on(context, admin.listOffsets(request).all()).map(HashMap::new);
    }
}
