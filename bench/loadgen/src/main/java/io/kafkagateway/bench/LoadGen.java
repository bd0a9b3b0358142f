package io.kafkagateway.bench;

import java.util.Locale;

/**
 * The benchmark's load generator. One command per run; results go to stdout as {@code name=value} lines (bench/run
 * collects them), progress and errors to stderr. Exit status 0 when the measurement ran.
 */
public final class LoadGen {

    private LoadGen() {
    }

    public static void main(String[] argv) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (argv.length == 0) {
            System.err.println("usage: loadgen COMMAND [--name value]...; commands: create-topics prefill produce-async "
                    + "produce-sync consume grpc-unary-body grpc-stream-produce ws-native-consume "
                    + "ws-kafka-proxy-consume park rest-consume-rr confluent-consume report");
            System.exit(2);
        }
        Args args = new Args(argv, 1);
        int status = switch (argv[0]) {
            case "create-topics" -> NativeKafka.createTopics(args);
            case "prefill" -> NativeKafka.prefill(args);
            case "produce-async" -> NativeKafka.produceAsync(args);
            case "produce-sync" -> NativeKafka.produceSync(args);
            case "consume" -> warmedUp(args, NativeKafka::consume);
            case "grpc-unary-body" -> GrpcLoad.unaryBody(args);
            case "grpc-stream-produce" -> GrpcLoad.streamProduce(args);
            case "ws-native-consume" -> warmedUp(args, WebSocketLoad::nativeConsume);
            case "ws-kafka-proxy-consume" -> warmedUp(args, WebSocketLoad::kafkaProxyConsume);
            case "park" -> ParkedPolls.park(args);
            case "rest-consume-rr" -> RoundRobinConsume.run(args);
            case "confluent-consume" -> warmedUp(args, ConfluentConsume::run);
            case "report" -> Report.write(args);
            default -> {
                System.err.println("unknown command " + argv[0]);
                yield 2;
            }
        };
        System.out.flush();
        // Kafka and Vert.x threads may linger; the result is out, so leave now.
        System.exit(status);
    }

    interface Command {
        int run(Args args) throws Exception;
    }

    /** True while a warm-up runs: its results are not printed. */
    private static volatile boolean quiet;

    /**
     * Runs {@code command} once on {@code --warmup-topic} (reading {@code --warmup-count} messages, under a group of
     * its own) before the measured run, so that this JVM's JIT has compiled the read path first, as it would have in a
     * long-running client: the gateway is warmed up before it is measured, and so are the clients on both sides. Then
     * waits until both JVMs' compilers are quiet (the warm-up also made the gateway compile this exact path).
     */
    private static int warmedUp(Args args, Command command) throws Exception {
        if (args.has("warmup-topic")) {
            quiet = true;
            try {
                command.run(args.with("topic", args.str("warmup-topic", ""))
                        .with("group", args.str("group", "bench") + "-warmup-" + System.nanoTime())
                        .with("count", args.str("warmup-count", "300000"))
                        .with("timeout", "30"));
            } finally {
                quiet = false;
            }
            result("jit_quiet_wait_s", JitQuiet.await());
        }
        return command.run(args);
    }

    /** Prints one result line. */
    static void result(String name, double value) {
        if (!quiet) {
            System.out.printf("%s=%.3f%n", name, value);
        }
    }

    static void result(String name, long value) {
        if (!quiet) {
            System.out.printf("%s=%d%n", name, value);
        }
    }

    static void log(String format, Object... values) {
        System.err.printf("loadgen: " + format + "%n", values);
    }
}
