package io.kafkagateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.Abandonment;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumeRequest;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ConsumersQuery;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.GroupOffsets;
import io.kafkagateway.core.OffsetSetting;
import io.kafkagateway.core.OffsetsQuery;
import io.kafkagateway.core.PartitionOffset;
import io.kafkagateway.core.SetOffsetsRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The consume side of the REST API: {@code GET .../messages}, {@code POST .../acks}, {@code GET|POST .../offsets} and
 * {@code GET .../consumers}, in Kafka-Pixy's shapes.
 */
final class ConsumeHandlers {

    /** A consumed message; the key is written even when null, as Kafka-Pixy does. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MessageView(byte[] key, byte[] value, int partition, long offset, List<HeaderView> headers) {

        static MessageView of(ConsumedMessage m) {
            return new MessageView(m.key(), m.value(), m.partition(), m.offset(),
                    m.headers().stream().map(h -> new HeaderView(h.key(), h.value())).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record HeaderView(String key, byte[] value) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OffsetView(int partition, long begin, long end, long count, long offset, long lag, String metadata,
                      @JsonProperty("sparse_acks") String sparseAcks) {

        static OffsetView of(PartitionOffset p) {
            return new OffsetView(p.partition(), p.begin(), p.end(), p.count(), p.offset(), p.lag(), p.metadata(), p.sparseAcks());
        }
    }

    /** One entry of a set-offsets body; other fields (a GET's answer sent back, say) are ignored, as Pixy did. */
    record OffsetInput(Integer partition, Long offset, String metadata) {
    }

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ClusterClient clusters;

    ConsumeHandlers(ClusterClient clusters) {
        this.clusters = clusters;
    }

    /** {@code GET .../messages}: the acknowledgement rules of {@link ConsumeRequest#acknowledging}. */
    void consume(RoutingContext ctx) {
        Responses.consumed(ctx, () -> {
            RequestParams params = RequestParams.of(ctx);
            ConsumeRequest request = ConsumeRequest.acknowledging(ConsumerParams.group(params, true), topic(ctx),
                    params.has("noAck"), false, ConsumerParams.partition(params, "ackPartition"),
                    ConsumerParams.offset(params, "ackOffset"), ConsumerParams.initialOffset(params));
            // A client that hangs up while its poll is parked gets no message (an auto-acknowledged one would be lost).
            Abandonment gone = new Abandonment();
            ctx.response().closeHandler(v -> gone.abandon());
            return clusters.consume(ctx.pathParam("cluster"), request.abandonedBy(gone));
        }, batch -> MessageView.of(batch.first()));
    }

    /** {@code POST .../acks}: {@code group}, {@code partition} and {@code offset}. */
    void ack(RoutingContext ctx) {
        Responses.empty(ctx, () -> {
            RequestParams params = RequestParams.of(ctx);
            String group = ConsumerParams.group(params, true);
            Integer partition = ConsumerParams.partition(params, "partition");
            Long offset = ConsumerParams.offset(params, "offset");
            if (partition == null || offset == null) {
                throw GatewayException.invalid("partition and offset are both required");
            }
            return clusters.ack(ctx.pathParam("cluster"), new AckRequest(group, topic(ctx), partition, offset));
        });
    }

    void offsets(RoutingContext ctx) {
        Responses.json(ctx, () -> {
            String group = ConsumerParams.group(RequestParams.of(ctx), true);
            return clusters.offsets(ctx.pathParam("cluster"), new OffsetsQuery(group, topic(ctx)));
        }, (GroupOffsets offsets) -> offsets.partitions().stream().map(OffsetView::of).toList());
    }

    /** {@code POST .../offsets}: body {@code [{"partition": p, "offset": o, "metadata": "..."}]}. */
    void setOffsets(RoutingContext ctx) {
        Responses.empty(ctx, () -> {
            String group = ConsumerParams.group(RequestParams.of(ctx), true);
            List<OffsetSetting> offsets = offsetsBody(ctx);
            return clusters.setOffsets(ctx.pathParam("cluster"), new SetOffsetsRequest(group, topic(ctx), offsets));
        });
    }

    void consumers(RoutingContext ctx) {
        Responses.json(ctx, () -> {
            String group = ConsumerParams.group(RequestParams.of(ctx), false);
            return clusters.consumers(ctx.pathParam("cluster"), new ConsumersQuery(group, topic(ctx)));
        }, consumers -> consumers.groups());
    }

    private static String topic(RoutingContext ctx) {
        return ctx.pathParam("topic");
    }

    private static List<OffsetSetting> offsetsBody(RoutingContext ctx) {
        List<OffsetInput> inputs;
        try {
            String body = ctx.body().buffer() == null ? "" : ctx.body().asString();
            inputs = LENIENT.readValue(body, LENIENT.getTypeFactory().constructCollectionType(List.class, OffsetInput.class));
        } catch (JsonProcessingException e) {
            throw GatewayException.invalid("Failed to parse the request: " + e.getOriginalMessage());
        }
        if (inputs == null) {
            throw GatewayException.invalid("Failed to parse the request: expected a JSON array of {\"partition\", \"offset\", \"metadata\"}");
        }
        return inputs.stream().map(ConsumeHandlers::setting).toList();
    }

    private static OffsetSetting setting(OffsetInput input) {
        if (input == null || input.partition() == null || input.offset() == null) {
            throw GatewayException.invalid("Failed to parse the request: every entry needs a partition and an offset");
        }
        return new OffsetSetting(input.partition(), input.offset(), input.metadata());
    }
}
