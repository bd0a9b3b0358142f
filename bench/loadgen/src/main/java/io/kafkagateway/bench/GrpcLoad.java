package io.kafkagateway.bench;

import com.google.protobuf.ByteString;
import io.kafkagateway.grpc.pixy.ProdRq;
import io.kafkagateway.grpc.v1.KafkaGatewayGrpcClient;
import io.kafkagateway.grpc.v1.ProduceBatch;
import io.kafkagateway.grpc.v1.ProduceRequest;
import io.kafkagateway.grpc.v1.ProduceResult;
import io.kafkagateway.grpc.v1.ProduceResults;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClient;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static io.kafkagateway.bench.LoadGen.log;
import static io.kafkagateway.bench.LoadGen.result;

/** gRPC load: the request body h2load sends for the unary Pixy API, and the streaming produce client. */
final class GrpcLoad {

    private GrpcLoad() {
    }

    /** Writes one length-prefixed gRPC message (uncompressed flag, 4-byte length, ProdRq) for h2load's -d. */
    static int unaryBody(Args args) throws Exception {
        ProdRq rq = ProdRq.newBuilder()
                .setTopic(args.str("topic", "bench-grpc-unary"))
                .setKeyUndefined(true)
                .setMessage(ByteString.copyFrom(args.payload()))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] message = rq.toByteArray();
        out.write(0);
        out.write(new byte[] {(byte) (message.length >>> 24), (byte) (message.length >>> 16),
                (byte) (message.length >>> 8), (byte) message.length});
        out.write(message);
        Files.write(Path.of(args.str("out", "grpc-body.bin")), out.toByteArray());
        result("bytes", out.size());
        return 0;
    }

    /**
     * {@code streams} bidirectional Produce streams, each on its own HTTP/2 connection, each keeping up to
     * {@code window} messages unanswered (the gateway allows 1024). Counts results without error in the measured span.
     */
    static int streamProduce(Args args) throws Exception {
        int streams = args.integer("streams", 4);
        int window = args.integer("window", 1024);
        int batch = args.integer("batch", 1);
        ProduceRequest message = ProduceRequest.newBuilder()
                .setTopic(args.str("topic", "bench-grpc-stream"))
                .setKeyUndefined(true)
                .setValue(ByteString.copyFrom(args.payload()))
                .build();
        long t0 = System.nanoTime();
        long measureFrom = t0 + (long) (args.seconds("warmup", 1) * 1e9);
        long measureTo = measureFrom + (long) (args.seconds("duration", 5) * 1e9);
        CpuWindow cpu = CpuWindow.between(measureFrom, measureTo);
        Vertx vertx = Vertx.vertx();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        CountDownLatch done = new CountDownLatch(streams);
        List<String> problems = new ArrayList<>();
        SocketAddress server = SocketAddress.inetSocketAddress(args.integer("port", 49191), args.host());
        for (int i = 0; i < streams; i++) {
            KafkaGatewayGrpcClient client = KafkaGatewayGrpcClient.create(GrpcClient.client(vertx), server);
            ProduceStream stream = new ProduceStream(window, measureFrom, measureTo, ok, failed, done, problems);
            if (batch > 1) {
                stream.startBatches(client, ProduceBatch.newBuilder().addAllMessages(java.util.Collections.nCopies(batch, message)).build());
            } else {
                stream.start(client, message);
            }
        }
        boolean finished = done.await((long) ((measureTo - t0) / 1e9) + 30, TimeUnit.SECONDS);
        vertx.close();
        synchronized (problems) {
            problems.forEach(p -> log("stream failed: %s", p));
            if (!finished) {
                log("the streams did not finish within %d s of the measured span", 30);
            } else if (ok.sum() == 0 && problems.isEmpty()) {
                log("no message was acknowledged in the measured span (give it a warm-up)");
            }
            if (!finished || !problems.isEmpty() || ok.sum() == 0) {
                return 1;
            }
        }
        result("msgs_per_s", ok.sum() / ((measureTo - measureFrom) / 1e9));
        result("messages", ok.sum());
        result("failed", failed.sum());
        cpu.print();
        return 0;
    }

    /**
     * One stream: writes while fewer than window messages are unanswered, until the end of the measured span. Sends
     * single messages ({@code Produce}) or batches ({@code ProduceBatches}, a result per message in each answer).
     */
    private static final class ProduceStream {
        private final int window;
        private final long measureFrom;
        private final long measureTo;
        private final LongAdder ok;
        private final LongAdder failed;
        private final CountDownLatch done;
        private final List<String> problems;
        private WriteStream<Object> requests;
        private Object request;
        private int perRequest;
        private long unanswered;
        private boolean ended;
        private boolean counted;

        ProduceStream(int window, long measureFrom, long measureTo, LongAdder ok, LongAdder failed, CountDownLatch done,
                      List<String> problems) {
            this.window = window;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.ok = ok;
            this.failed = failed;
            this.done = done;
            this.problems = problems;
        }

        @SuppressWarnings("unchecked")
        void start(KafkaGatewayGrpcClient client, ProduceRequest message) {
            request = message;
            perRequest = 1;
            client.produce((stream, error) -> opened((WriteStream<Object>) (WriteStream<?>) stream, error)).onSuccess(results -> {
                results.handler(r -> answered(r.hasError() ? 0 : 1, r.hasError() ? 1 : 0));
                results.exceptionHandler(this::fail);
                results.endHandler(v -> finish());
            }).onFailure(this::fail);
        }

        @SuppressWarnings("unchecked")
        void startBatches(KafkaGatewayGrpcClient client, ProduceBatch batch) {
            request = batch;
            perRequest = batch.getMessagesCount();
            client.produceBatches((stream, error) -> opened((WriteStream<Object>) (WriteStream<?>) stream, error)).onSuccess(results -> {
                results.handler(this::answered);
                results.exceptionHandler(this::fail);
                results.endHandler(v -> finish());
            }).onFailure(this::fail);
        }

        private void opened(WriteStream<Object> stream, Throwable error) {
            if (error != null) {
                fail(error);
                return;
            }
            requests = stream;
            requests.drainHandler(v -> pump());
            pump();
        }

        private void answered(ProduceResults results) {
            int errors = 0;
            for (ProduceResult r : results.getResultsList()) {
                if (r.hasError()) {
                    errors++;
                }
            }
            answered(results.getResultsCount() - errors, errors);
        }

        private void answered(int good, int bad) {
            unanswered -= good + bad;
            long now = System.nanoTime();
            if (now >= measureFrom && now < measureTo) {
                ok.add(good);
                failed.add(bad);
            }
            pump();
        }

        private void pump() {
            if (ended) {
                return;
            }
            if (System.nanoTime() >= measureTo) {
                ended = true;
                requests.end();
                return;
            }
            while (unanswered + perRequest <= window && !requests.writeQueueFull()) {
                requests.write(request);
                unanswered += perRequest;
            }
        }

        private void fail(Throwable error) {
            synchronized (problems) {
                problems.add(String.valueOf(error));
            }
            finish();
        }

        private void finish() {
            if (!counted) {
                counted = true;
                done.countDown();
            }
        }
    }
}
