package io.kafkagateway.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.kafkagateway.bench.LoadGen.log;
import static io.kafkagateway.bench.LoadGen.result;

/**
 * REST consume with explicit acknowledgements through client-side round robin: {@code --workers} loops each take one
 * message ({@code GET ...&noAck}) from the next gateway of {@code --ports} and acknowledge it ({@code POST /acks}) on
 * the one after, as clients behind a round-robin load balancer would. With one port it is the single-gateway baseline.
 * With {@code --jit-warmup S} the same loops run unmeasured for S seconds first, then wait for every JVM's JIT to go
 * quiet (the gateways' pids in BENCH_GATEWAY_PID). Prints msgs_per_s, the latency of each kind of request (p50/p99),
 * refused acknowledgements (409) and errors.
 */
final class RoundRobinConsume {

    private static final Pattern PARTITION = Pattern.compile("\"partition\":(\\d+)");
    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");

    private final List<HttpClientAgent> gateways;
    private final String topic;
    private final String group;
    /** 1: each acknowledgement goes to the gateway after the one that gave the message; 0: to the same one. */
    private final int ackStep;
    private final Latencies consumes = new Latencies();
    private final Latencies acks = new Latencies();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong empty = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean measuring;
    private volatile boolean running;

    private RoundRobinConsume(List<HttpClientAgent> gateways, String topic, String group, int ackStep) {
        this.ackStep = ackStep;
        this.gateways = gateways;
        this.topic = topic;
        this.group = group;
    }

    static int run(Args args) throws Exception {
        int workers = args.integer("workers", 32);
        int loops = args.integer("event-loops", 2);
        List<Integer> ports = Arrays.stream(args.str("ports", "49292").split(",")).map(String::trim).map(Integer::valueOf).toList();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        List<HttpClientAgent> clients = ports.stream().map(port -> vertx.createHttpClient(
                new HttpClientOptions().setDefaultHost(args.host()).setDefaultPort(port).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(workers).setEventLoopSize(loops))).toList();
        RoundRobinConsume load = new RoundRobinConsume(clients, args.str("topic", "bench-scale"), args.str("group", "scale"),
                args.str("ack-on", "next").equals("same") ? 0 : 1);
        double jitWarmup = args.seconds("jit-warmup", 0);
        if (jitWarmup > 0) {
            // The same loops, unmeasured, until the JIT of this JVM and of every gateway has compiled this path; then
            // the load stops until the compilers are quiet, so their work is not counted in the measured window.
            load.start(vertx, workers, loops).await(jitWarmup);
            log("JIT warm-up of %.0f s; the compilers were quiet %.1f s after it", jitWarmup, JitQuiet.await());
            load.reset();
        }
        Running measured = load.start(vertx, workers, loops);
        Thread.sleep((long) (args.seconds("warmup", 3) * 1000));
        load.measuring = true;
        long start = System.nanoTime();
        CpuWindow cpu = CpuWindow.begin();
        Thread.sleep((long) (args.seconds("duration", 5) * 1000));
        cpu.end();
        load.measuring = false;
        double seconds = (System.nanoTime() - start) / 1e9;
        measured.await(0);
        log("%d gateways, %d workers: %d messages in %.1f s, %d acks refused, %d empty polls, %d errors", ports.size(),
                workers, load.messages.get(), seconds, load.conflicts.get(), load.empty.get(), load.errors.get());
        if (load.messages.get() == 0) {
            // nothing to read (the warm-up drained the topic, say): not a measurement of 0 msg/s
            throw new IllegalStateException("no message was read in the measured " + Math.round(seconds)
                    + " s (" + load.empty.get() + " empty polls); pre-fill more (bench/run PREFILL_SCALE)");
        }
        result("msgs_per_s", load.messages.get() / seconds);
        result("messages", load.messages.get());
        result("consume_p50_ms", load.consumes.percentile(0.50));
        result("consume_p99_ms", load.consumes.percentile(0.99));
        result("ack_p50_ms", load.acks.percentile(0.50));
        result("ack_p99_ms", load.acks.percentile(0.99));
        result("conflicts", load.conflicts.get());
        result("failed", load.errors.get());
        cpu.print();
        vertx.close();
        return 0;
    }

    /** Starts the worker loops, spread over the event loops (a context each, so no one loop carries the client). */
    private Running start(Vertx vertx, int workers, int loops) throws Exception {
        running = true;
        CountDownLatch stopped = new CountDownLatch(workers);
        List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                contexts.add(context);
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setInstances(loops)).await(10, TimeUnit.SECONDS);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            contexts.get(w % loops).runOnContext(v -> next(worker, stopped));
        }
        return new Running(stopped);
    }

    /** Worker loops started by {@link #start}; {@link #await} lets them run, then stops them. */
    private final class Running {
        private final CountDownLatch stopped;

        Running(CountDownLatch stopped) {
            this.stopped = stopped;
        }

        void await(double seconds) throws InterruptedException {
            Thread.sleep((long) (seconds * 1000));
            running = false;
            if (!stopped.await(40, TimeUnit.SECONDS)) {
                log("%d worker loops still waiting for an answer after 40 s", stopped.getCount());
            }
        }
    }

    private void reset() {
        messages.set(0);
        conflicts.set(0);
        empty.set(0);
        errors.set(0);
    }

    private void next(int turn, CountDownLatch stopped) {
        if (!running) {
            stopped.countDown();
            return;
        }
        long started = System.nanoTime();
        send(turn, HttpMethod.GET, "/topics/" + topic + "/messages?group=" + group + "&noAck").onComplete(consumed -> {
            if (consumed.failed() || consumed.result().status != 200) {
                if (consumed.succeeded() && consumed.result().status == 408) {
                    empty.incrementAndGet();
                } else if (measuring) {
                    errors.incrementAndGet();
                }
                next(turn + 1, stopped);
                return;
            }
            if (measuring) {
                consumes.add(System.nanoTime() - started);
            }
            String body = consumed.result().body;
            Matcher partition = PARTITION.matcher(body);
            Matcher offset = OFFSET.matcher(body);
            if (!partition.find() || !offset.find()) {
                errors.incrementAndGet();
                next(turn + 1, stopped);
                return;
            }
            long ackStarted = System.nanoTime();
            send(turn + ackStep, HttpMethod.POST, "/topics/" + topic + "/acks?group=" + group + "&partition="
                    + partition.group(1) + "&offset=" + offset.group(1)).onComplete(acked -> {
                if (measuring) {
                    if (acked.succeeded() && acked.result().status == 200) {
                        messages.incrementAndGet();
                        acks.add(System.nanoTime() - ackStarted);
                    } else if (acked.succeeded() && acked.result().status == 409) {
                        conflicts.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                }
                next(turn + 2, stopped);
            });
        });
    }

    private record Answer(int status, String body) {
    }

    private Future<Answer> send(int turn, HttpMethod method, String uri) {
        HttpClientAgent client = gateways.get(Math.floorMod(turn, gateways.size()));
        return client.request(new RequestOptions().setMethod(method).setURI(uri).setIdleTimeout(60_000))
                .compose(request -> request.send().compose(response -> response.body()
                        .map(body -> new Answer(response.statusCode(), body.toString()))));
    }

    /** Request latencies in the measured window (nanoseconds), for percentiles. */
    private static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized double percentile(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted[Math.min(size - 1, (int) Math.ceil(p * size) - 1)] / 1e6;
        }
    }
}
