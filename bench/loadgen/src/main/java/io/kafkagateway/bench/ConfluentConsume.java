package io.kafkagateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.kafkagateway.bench.LoadGen.log;
import static io.kafkagateway.bench.LoadGen.result;

/**
 * Confluent v2 consume as its clients do it: one binary consumer instance (auto-commit), subscribed to
 * {@code --topic}, reading {@code GET .../records?max_bytes=} ({@code --max-bytes}, 1 MB) in a loop until it has
 * read {@code --count} records (the clock starts with the first answer that has records). {@code --url} points it at
 * another Confluent-v2-compatible server instead of the gateway's {@code --port}. Prints msgs_per_s, requests and
 * records per request.
 */
final class ConfluentConsume {

    private static final String V2 = "application/vnd.kafka.v2+json";

    private ConfluentConsume() {
    }

    static int run(Args args) throws Exception {
        String base = args.str("url", "http://" + args.host() + ":" + args.integer("port", 49182));
        String group = args.str("group", "bench-confluent") + "-" + System.nanoTime();
        String topic = args.str("topic", "bench-consume-confluent");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String created = send(http, HttpRequest.newBuilder(URI.create(base + "/consumers/" + group))
                .header("Content-Type", V2).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"bench\",\"format\":\"binary\",\"auto.offset.reset\":\"earliest\"}")));
        String instance = base + "/consumers/" + group + "/instances/bench";
        send(http, HttpRequest.newBuilder(URI.create(instance + "/subscription")).header("Content-Type", V2)
                .POST(HttpRequest.BodyPublishers.ofString("{\"topics\":[\"" + topic + "\"]}")));
        log("created %s", created);
        HttpRequest records = HttpRequest.newBuilder(URI.create(instance + "/records?timeout=1000&max_bytes="
                        + args.integer("max-bytes", 1_000_000)))
                .header("Accept", "application/vnd.kafka.binary.v2+json").GET().build();
        // The instance's first records come once the group has assigned it partitions (a join takes seconds); the
        // clock starts then, and stops when --count records were read (the whole pre-filled topic).
        long count = args.integer("count", 100_000);
        long joinDeadline = System.nanoTime() + 60_000_000_000L;
        long messages;
        while ((messages = count(http.send(records, HttpResponse.BodyHandlers.ofString()).body())) == 0) {
            if (System.nanoTime() > joinDeadline) {
                throw new IllegalStateException("the consumer instance got no records within 60 s");
            }
        }
        long first = messages; // read before the clock started: not counted
        long start = System.nanoTime();
        long deadline = start + (long) (args.seconds("timeout", 120) * 1e9);
        CpuWindow cpu = CpuWindow.begin();
        long requests = 0;
        while (messages < count && System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(records, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("records answered " + answer.statusCode() + ": " + answer.body());
            }
            messages += count(answer.body());
            requests++;
        }
        cpu.end();
        double seconds = (System.nanoTime() - start) / 1e9;
        send(http, HttpRequest.newBuilder(URI.create(instance)).DELETE());
        result("msgs_per_s", (messages - first) / seconds);
        result("messages", messages);
        result("requests", requests);
        result("records_per_request", requests == 0 ? 0 : (double) (messages - first) / requests);
        cpu.print();
        return 0;
    }

    private static String send(HttpClient http, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> answer = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    /** Records in a records answer: one "offset" field each. */
    private static int count(String body) {
        int n = 0;
        for (int i = body.indexOf("\"offset\":"); i >= 0; i = body.indexOf("\"offset\":", i + 9)) {
            n++;
        }
        return n;
    }
}
