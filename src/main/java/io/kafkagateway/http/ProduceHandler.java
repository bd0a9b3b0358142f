package io.kafkagateway.http;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;

/**
 * {@code POST [/clusters/{cluster}]/topics/{topic}/messages}: {@code key} (absent: the partitioner picks; empty: hash
 * of ""), {@code sync} (wait for Kafka's acknowledgement and answer its partition and offset).
 */
final class ProduceHandler implements Handler<RoutingContext> {

    private static final Buffer ACCEPTED = Buffer.buffer("{}");

    private final ClusterClient clusters;

    ProduceHandler(ClusterClient clusters) {
        this.clusters = clusters;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String cluster;
        ProduceRequest request;
        try {
            cluster = clusters.resolve(ctx.pathParam("cluster"));
            RequestParams params = RequestParams.of(ctx);
            String key = params.first("key");
            request = new ProduceRequest(ctx.pathParam("topic"), key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    MessageBody.read(ctx, params), KafkaHeaders.parse(ctx.request().headers()), params.has("sync"));
        } catch (GatewayException e) {
            HttpErrors.render(ctx, e);
            return;
        }
        clusters.produce(cluster, request).onComplete(done -> {
            if (done.failed()) {
                HttpErrors.render(ctx, done.cause());
                return;
            }
            ProduceResult result = done.result();
            ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(result.accepted() ? ACCEPTED
                            : Buffer.buffer("{\"partition\":" + result.partition() + ",\"offset\":" + result.offset() + "}"));
        });
    }
}
