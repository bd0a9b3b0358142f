package io.kafkagateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.atomic.AtomicLong;

import static io.kafkagateway.bench.LoadGen.log;
import static io.kafkagateway.bench.LoadGen.result;

/**
 * Holds {@code connections} long polls open, one per connection, asking again when one is answered (408 after the
 * long-poll timeout), for {@code hold} seconds. The fallback for when wrk cannot hold that many connections.
 */
final class ParkedPolls {

    private ParkedPolls() {
    }

    static int park(Args args) throws Exception {
        int connections = args.integer("connections", 10_000);
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setDefaultHost(args.host()).setDefaultPort(args.integer("port", 49192))
                        .setConnectTimeout(60_000),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        RequestOptions poll = new RequestOptions().setMethod(HttpMethod.GET)
                .setURI(args.str("path", "/topics/bench-empty/messages?group=parked"))
                .setIdleTimeout(0);
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        for (int i = 0; i < connections; i++) {
            ask(client, poll, answered, failed);
        }
        Thread.sleep((long) (args.seconds("hold", 30) * 1000));
        log("answered %d, failed %d", answered.get(), failed.get());
        result("answered", answered.get());
        result("failed", failed.get());
        vertx.close();
        return 0;
    }

    private static void ask(HttpClient client, RequestOptions poll, AtomicLong answered, AtomicLong failed) {
        client.request(poll)
                .compose(req -> req.send().compose(resp -> resp.body()))
                .onComplete(ar -> {
                    (ar.succeeded() ? answered : failed).incrementAndGet();
                    ask(client, poll, answered, failed);
                });
    }
}
