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
                    + "ws-kafka-proxy-consume park report");
            System.exit(2);
        }
        Args args = new Args(argv, 1);
        int status = switch (argv[0]) {
            case "create-topics" -> NativeKafka.createTopics(args);
            case "prefill" -> NativeKafka.prefill(args);
            case "produce-async" -> NativeKafka.produceAsync(args);
            case "produce-sync" -> NativeKafka.produceSync(args);
            case "consume" -> NativeKafka.consume(args);
            case "grpc-unary-body" -> GrpcLoad.unaryBody(args);
            case "grpc-stream-produce" -> GrpcLoad.streamProduce(args);
            case "ws-native-consume" -> WebSocketLoad.nativeConsume(args);
            case "ws-kafka-proxy-consume" -> WebSocketLoad.kafkaProxyConsume(args);
            case "park" -> ParkedPolls.park(args);
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

    /** Prints one result line. */
    static void result(String name, double value) {
        System.out.printf("%s=%.3f%n", name, value);
    }

    static void result(String name, long value) {
        System.out.printf("%s=%d%n", name, value);
    }

    static void log(String format, Object... values) {
        System.err.printf("loadgen: " + format + "%n", values);
    }
}
