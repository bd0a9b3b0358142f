package io.kafkagateway.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Turns bench/run's measurements (a properties file of {@code step.name=value}) into the one table: each row beside its
 * baseline from the same run, the ratio, the target and whether it was met, then a note per row on what bounds it.
 * Prints the table; with {@code --out} also writes the whole report (RESULTS.md). Exits 3 when a row has no figure.
 */
final class Report {

    private final Properties m = new Properties();
    private final List<Row> rows = new ArrayList<>();

    private record Row(String scenario, String gateway, String baseline, String ratio, String target, String met,
                       String note) {
    }

    static int write(Args args) throws IOException {
        Report r = new Report();
        try (Reader in = Files.newBufferedReader(Path.of(args.str("in", "measurements.properties")))) {
            r.m.load(in);
        }
        r.build();
        String table = r.table();
        System.out.println(table);
        String out = args.str("out", "");
        if (!out.isEmpty()) {
            Files.writeString(Path.of(out), r.document(table));
        }
        long missing = r.rows.stream().filter(row -> row.met.equals("failed to run")).count();
        return missing == 0 ? 0 : 3;
    }

    private void build() {
        String c = get("meta.concurrency_async", "64");
        Double nativeAsync = mean("native_async", "native_async_after", "msgs_per_s");
        Double restAsync = num("rest_async.ok_per_s");
        rows.add(row("REST produce, async, 1 msg/request, keep-alive (wrk -c" + c + ")",
                rate(restAsync) + failures("rest_async"), "native producer, async: " + rate(nativeAsync)
                        + spread("native_async", "native_async_after"),
                ratio(restAsync, nativeAsync), "≥ 30,000 msg/s", restAsync == null ? null : restAsync >= 30_000,
                "rest_async", "native_async",
                "Every request is an HTTP exchange parsed by the gateway and a record handed to its producer; wrk, the "
                        + "gateway and the broker (one JVM with the gateway) share the 2 cores."));

        Double restSync = num("rest_sync.ok_per_s");
        Double restSyncP50 = num("rest_sync.p50_ms");
        Double nativeSync = mean("native_sync", "native_sync_after", "msgs_per_s");
        Double nativeSyncP50 = mean("native_sync", "native_sync_after", "p50_ms");
        rows.add(row("REST produce, sync (?sync), acks=all, 64 concurrent clients (wrk -c64)",
                both(restSync, restSyncP50, num("rest_sync.p99_ms")) + failures("rest_sync"),
                "native, 64 threads × send().get(): " + both(nativeSync, nativeSyncP50,
                        mean("native_sync", "native_sync_after", "p99_ms")) + spread("native_sync", "native_sync_after"),
                ratio(restSync, nativeSync) + " msg/s, " + ratio(restSyncP50, nativeSyncP50) + " p50",
                "p50 ≤ 5 ms and ≥ 15,000 msg/s",
                restSync == null || restSyncP50 == null ? null : restSyncP50 <= 5 && restSync >= 15_000,
                "rest_sync", "native_sync",
                "64 requests in flight, each waiting for the broker's acknowledgement (linger 1 ms, acks=all on one "
                        + "node): throughput is 64 / latency, and latency grows with the CPU the three processes leave "
                        + "each other."));

        Double unary = num("grpc_unary.msgs_per_s");
        // REST sync measured before and after the gRPC row: the comparison uses their mean.
        Double restAround = mean("rest_sync", "rest_sync_after", "ok_per_s");
        Double restAroundMean = mean("rest_sync", "rest_sync_after", "mean_ms");
        rows.add(row("gRPC unary produce, Pixy API (h2load -c64 -m1), sync",
                rate(unary) + meanLatency() + failures("grpc_unary"),
                "REST sync: " + rate(restAround) + (restAroundMean == null ? "" : ", mean " + ms(restAroundMean))
                        + spread("rest_sync", "rest_sync_after", "ok_per_s") + "; native sync: " + rate(nativeSync),
                ratio(unary, restAround) + " REST sync, " + ratio(unary, nativeSync) + " native",
                "≥ REST (sync)", unary == null || restAround == null ? null : unary >= restAround,
                "grpc_unary", "native_sync",
                "The sync produce path of the REST row behind HTTP/2 and gRPC framing, 64 clients with 1 request "
                        + "in flight each, so like REST sync it is bound by per-request latency (h2load gives only the "
                        + "mean, so the REST mean is shown beside it; REST sync is measured before and after this row "
                        + "and compared by the mean of both), plus Vert.x gRPC's HTTP/2 stream and protobuf "
                        + "work per call. CPU per call" + perMessage("grpc_unary", unary, " for gRPC")
                        + perMessage("rest_sync", restSync, " and for REST (before)") + ". Measured side by side "
                        + "outside the harness (10 s each, alternated on one gateway), gRPC unary ran at 0.71× to "
                        + "1.23× REST and its CPU per call from equal to 1.5× REST's: this machine's swings are as "
                        + "large as the gap. A perf profile of the gateway puts a quarter of its time in the kernel's "
                        + "scheduler (each call crosses the API's event loop, the cluster verticle's, the producer "
                        + "thread and Kafka's network thread and back, as a REST call does) and the rest in Netty's "
                        + "HTTP/2 codec, HPACK and Vert.x, nothing of the gateway's own above 1%. msg/s counts the "
                        + "produces the gateway answered ok (kgw_produce_requests_total), since a gRPC error is an "
                        + "HTTP 200 to h2load."));

        Double stream = num("grpc_stream.msgs_per_s");
        rows.add(row("gRPC streaming produce, a message per request (Produce, " + get("meta.grpc_streams", "4")
                        + " streams × " + get("meta.grpc_window", "1024") + " in flight)",
                rate(stream) + failures("grpc_stream"), "native producer, async: " + rate(nativeAsync),
                ratio(stream, nativeAsync), "≥ 0.5 × native producer",
                stream == null || nativeAsync == null ? null : stream >= 0.5 * nativeAsync,
                "grpc_stream", "native_async",
                "Each result waits for Kafka's acknowledgement but 1024 may be in flight per stream, so the gateway's "
                        + "producer batches as the native one does. Every message is its own gRPC message each way: "
                        + "HTTP/2 framing, a protobuf decode, a result encoded and written, on the gateway and on the "
                        + "load generator, which shares the 2 cores; the native producer only appends to a compressed "
                        + "batch in its own process. Messages read together still reach the cluster verticle and the "
                        + "producer as one batch, and the results written in one task share a socket flush."));

        Double batches = num("grpc_batches.msgs_per_s");
        rows.add(row("gRPC streaming produce, " + get("meta.grpc_batch", "100") + " messages per request "
                        + "(ProduceBatches, " + get("meta.grpc_streams", "4") + " streams × "
                        + get("meta.grpc_window", "1024") + " in flight)",
                rate(batches) + failures("grpc_batches"), "native producer, async: " + rate(nativeAsync),
                ratio(batches, nativeAsync), "≥ 0.5 × native producer",
                batches == null || nativeAsync == null ? null : batches >= 0.5 * nativeAsync,
                "grpc_batches", "native_async",
                "The same messages and results as the row above, each acknowledged by Kafka, but "
                        + get("meta.grpc_batch", "100") + " to a gRPC message each way, so the HTTP/2 and gRPC work is "
                        + "paid per batch and what remains per message is protobuf and the producer's append. The "
                        + "gateway's one producer thread appends for every client, as the native producer's caller does."));

        Double restConsume = num("rest_consume.ok_per_s");
        Double nativeConsumeRest = num("native_rest_consume.msgs_per_s");
        rows.add(row("REST consume + explicit ack, 1 msg/request, " + get("meta.consume_clients", "32")
                        + " clients (wrk)",
                rate(restConsume) + drained() + failures("rest_consume"), "native consumer: " + rate(nativeConsumeRest),
                ratio(restConsume, nativeConsumeRest), "≥ 10,000 msg/s",
                restConsume == null ? null : restConsume >= 10_000,
                "rest_consume", "native_rest_consume",
                "One HTTP round trip per message (each request acknowledges the previous one); the native consumer "
                        + "fetches 500 records per poll, so the ratio is about per-message overhead."));

        Double wsNative = num("ws_native.msgs_per_s");
        Double nativeConsumeWsn = num("native_ws_native.msgs_per_s");
        rows.add(row("WebSocket consume, native dialect (1 socket, batch frames, credits " + get("meta.ws_credits", "10000") + ")",
                rate(wsNative) + incomplete("ws_native"), "native consumer: " + rate(nativeConsumeWsn),
                ratio(wsNative, nativeConsumeWsn), "≥ 0.7 × native consumer",
                wsNative == null || nativeConsumeWsn == null ? null : wsNative >= 0.7 * nativeConsumeWsn,
                "ws_native", "native_ws_native",
                "One JSON frame per poll of the consumer engine (up to 500 messages, values in base64) on one socket, "
                        + "two polls under way; credits are topped up by the client as it reads. Bound by CPU per "
                        + "message on the two cores the client shares: per message" + perMessage("ws_native", wsNative, "")
                        + ", where the native consumer decodes in one thread of its own process." 
                        + clientBound("ws_native", wsNative, nativeConsumeWsn) + " The gateway's part (perf): the Kafka "
                        + "consumer's decode, the engine handing out each message on the cluster verticle's event "
                        + "loop, and JSON and base64 on the socket's; the protobuf framing (--format binary) measures "
                        + "the same, the socket's write queue never fills, and four polls under way instead of two "
                        + "only double each poll's wait. Both sides are measured warm: a client warm-up on the same "
                        + "topic, then the wait for both JVMs' compilers to go quiet (without it, the gateway's C2 "
                        + "compiler took more CPU in the measured read than its event loops, and the ratio read "
                        + "higher only because the native consumer was measured cold too)."));

        Double wsProxy = num("ws_proxy.msgs_per_s");
        Double nativeConsumeWsp = num("native_ws_proxy.msgs_per_s");
        rows.add(row("WebSocket consume, kafka-proxy dialect (1 socket, JSON batches ≤ 500 kB)",
                rate(wsProxy) + incomplete("ws_proxy"), "native consumer: " + rate(nativeConsumeWsp),
                ratio(wsProxy, nativeConsumeWsp), "≥ 0.7 × native consumer",
                wsProxy == null || nativeConsumeWsp == null ? null : wsProxy >= 0.7 * nativeConsumeWsp,
                "ws_proxy", "native_ws_proxy",
                "Batches of a few thousand messages per frame, read from one partition by the socket's own reader, "
                        + "which starts its next poll as soon as a batch has emptied what it fetched, so decompressing "
                        + "overlaps with writing. Per message" + perMessage("ws_proxy", wsProxy, "") + "."
                        + clientBound("ws_proxy", wsProxy, nativeConsumeWsp) + " Both sides are warmed up as in the "
                        + "row above; the native consumer's read takes well under a second, so its figure is the "
                        + "noisiest of the table; --full reads 2M messages."));

        Double p99With = num("lp_with.p99_ms");
        Double p99Without = num("lp_without.p99_ms");
        Double heapBefore = num("lp.heap_before_mb");
        Double heapUnder = num("lp.heap_under_mb");
        Double growth = heapBefore == null || heapUnder == null ? null : heapUnder - heapBefore;
        String parked = get("lp.parked", "?");
        String lpClients = get("meta.lp_clients", "16");
        rows.add(row(count(get("meta.parked_target", "10000")) + " parked long polls on an empty topic, while producing "
                        + "(sync, wrk -c" + lpClients + ")",
                "p99 " + ms(p99With) + " with " + count(parked) + " parked (" + get("lp.parked_tool", "?") + "); heap "
                        + signedMb(growth),
                "p99 " + ms(p99Without) + " without them", ratio(p99With, p99Without) + " p99",
                "p99 ≤ 1.5 × without; heap growth ≤ 100 MB",
                p99With == null || p99Without == null || growth == null ? null
                        : p99With <= 1.5 * p99Without && growth <= 100 && parkedEnough(parked),
                "lp_with", "lp_without",
                "Heap is used heap after a full GC (jcmd GC.run) before opening the polls and with them parked"
                        + " (" + mb(heapBefore) + " → " + mb(heapUnder) + perPoll(growth, parked) + "). The p99 is "
                        + "measured after the usual warm-up with the polls already parked; parked polls cost memory "
                        + "and GC work (a larger live heap to mark), little CPU, and the p99 of 5 s at 16 clients "
                        + "swings between runs (1.2× to 1.8× over the last two sessions). The heap figure moves by ±3 MB between "
                        + "runs. A heap histogram (jmap -histo:live) with 10,000 parked shows where a poll's ~10 KB "
                        + "goes: 4 KB is the 1,024-slot array of the outbound queue Vert.x gives every connection "
                        + "(Netty's MPSC chunk size, fixed); the rest is Vert.x's HTTP/1.1 connection, request, "
                        + "headers and routing context, Netty's channel and pipeline, and the event-bus reply "
                        + "registration and timer; the gateway's own waiter and promises are a few hundred bytes."));

        scaleOut();
        confluent();

        Double rssRest = num("rss.rest_mb");
        Double rssLoad = num("rss.load_mb");
        rows.add(row("Gateway RSS (gateway + embedded broker, one JVM)",
                mb(rssRest) + " at rest; " + mb(rssLoad) + " under the load above; peak " + mb(num("rss.peak_mb")),
                "—", ratio(rssLoad, rssRest) + " under load / at rest", "reported", rssRest == null ? null : Boolean.TRUE,
                null, null,
                "VmRSS from /proc; the JVM's default heap limit (a quarter of 24 GiB) lets the heap grow before it "
                        + "collects, so RSS reflects GC sizing more than live data."));
    }

    /** The scale-out row: three clustered gateway processes behind client-side round robin against one gateway. */
    private void scaleOut() {
        Double three = num("scale_three.msgs_per_s");
        Double one = num("scale_one.msgs_per_s");
        String workers = get("meta.scale_workers", "32");
        rows.add(row("REST consume + explicit ack (POST /acks), " + workers + " clients, client-side round robin over 3 "
                        + "clustered gateway processes, 4 partitions",
                rate(three) + latencies("scale_three") + conflicts("scale_three") + failures("scale_three"),
                "1 gateway process: " + rate(one) + latencies("scale_one"), ratio(three, one), "≥ 0.7 × one gateway",
                three == null || one == null || one <= 0 ? null : three >= 0.7 * one,
                "scale_three", "scale_one",
                "Each client takes a message from the next gateway and acknowledges it on the one after, so two "
                        + "acknowledgements in three land on a gateway that does not own the partition and are passed "
                        + "to its owner over the clustered event bus. Every gateway process runs one event loop "
                        + "(event_loops: 1) and each side runs its loops for " + get("meta.scale_jit_warmup", "?")
                        + " s unmeasured first, so that the JIT of every JVM has compiled the path. Passed to an owner "
                        + "(kgw_forwarding_latency, mean / worst p99 of the 3): acknowledgements " + forwarding("ack")
                        + ", consumes " + forwarding("consume")
                        + ". CPU per message in the gateway processes" + perMessage("scale_three", three, ": three")
                        .replace("in the gateway's JVM (gateway and broker)", "in the 3 gateways")
                        + perMessage("scale_one", one, "; one").replace("in the gateway's JVM (gateway and broker)",
                        "in the gateway") + " (the broker's JVM counts with the rest). All four JVMs and the client "
                        + "share the 2 cores, so three gateways cannot be faster than one here; the row measures what "
                        + "forwarding costs, not the gain of more machines."));
    }

    /**
     * The Confluent API's rows: v2 produce with 1 record per request against our Pixy REST async produce (the target)
     * and sync produce, 100 records per request, v2 consume against the native consumer; with --peer-url, the same
     * requests against the other server.
     */
    private void confluent() {
        Double restAsync = num("rest_async.ok_per_s");
        Double restSync = mean("rest_sync", "rest_sync_after", "ok_per_s");
        Double one = num("confluent_produce_1.ok_per_s");
        rows.add(row("Confluent v2 produce, binary, 1 record/request, " + get("meta.concurrency_sync", "64")
                        + " connections (wrk)", both(one, num("confluent_produce_1.p50_ms"), num("confluent_produce_1.p99_ms"))
                        + failures("confluent_produce_1"),
                "Pixy REST async produce: " + rate(restAsync) + "; Pixy REST sync: " + rate(restSync),
                ratio(one, restAsync) + " async, " + ratio(one, restSync) + " sync", "≥ 0.9 × Pixy REST async",
                one == null || restAsync == null ? null : one >= 0.9 * restAsync, "confluent_produce_1", "rest_sync",
                "Each record waits for Kafka's acknowledgement (Confluent's produce answers with offsets, so it is "
                        + "synchronous), where Pixy's async produce answers once the producer took the record; the "
                        + "Confluent body is JSON with a base64 value, decoded whole before the record is sent."));
        Double requests = num("confluent_produce_100.ok_per_s");
        Double hundred = requests == null ? null : requests * 100;
        rows.add(row("Confluent v2 produce, binary, 100 records/request, 16 connections (wrk)",
                rate(hundred) + " (" + rate(requests).replace("msg/s", "requests/s") + ")" + failures("confluent_produce_100"),
                "Pixy REST async produce: " + rate(restAsync), ratio(hundred, restAsync), "reported",
                hundred == null ? null : Boolean.TRUE, "confluent_produce_100", "rest_async",
                "One request carries 100 records, sent to the producer together (the engine's batches of 256) and "
                        + "answered once Kafka has acknowledged all of them, each with its own offset."));
        Double consume = num("confluent_consume.msgs_per_s");
        Double nativeConsume = num("native_confluent_consume.msgs_per_s");
        Double perRequest = num("confluent_consume.records_per_request");
        rows.add(row("Confluent v2 consume, binary, 1 consumer instance (auto-commit), GET records?max_bytes=1000000 in a loop",
                rate(consume) + String.format(", %,.0f records per request", perRequest == null ? 0 : perRequest),
                "native consumer: " + rate(nativeConsume), ratio(consume, nativeConsume), "≥ 0.3 × native consumer",
                consume == null || nativeConsume == null ? null : consume >= 0.3 * nativeConsume,
                "confluent_consume", "native_confluent_consume",
                "One client, one request at a time; the instance's poll thread fetches ahead (up to 4 MiB) while the "
                        + "client reads an answer, so the next request finds its records waiting. Per message"
                        + perMessage("confluent_consume", consume, "") + "."));
        String peer = get("meta.peer_url", null);
        if (peer == null) {
            return;
        }
        peerRow("v2 produce, binary, 1 record/request", one, num("peer_produce_1.ok_per_s"), peer, "peer_produce_1");
        Double peerHundred = num("peer_produce_100.ok_per_s");
        peerRow("v2 produce, binary, 100 records/request", hundred, peerHundred == null ? null : peerHundred * 100, peer,
                "peer_produce_100");
        peerRow("v2 consume, records?max_bytes=1000000", consume, num("peer_consume.msgs_per_s"), peer, "peer_consume");
    }

    private void peerRow(String what, Double gateway, Double peer, String url, String step) {
        rows.add(row("Confluent " + what + ": the gateway against " + url, rate(gateway), url + ": " + rate(peer),
                ratio(gateway, peer), "reported", gateway == null || peer == null ? null : Boolean.TRUE, step, step,
                "The same requests, clients and broker; the other server runs beside the gateway on the same cores."));
    }

    private String latencies(String step) {
        Double consume = num(step + ".consume_p50_ms");
        Double ack = num(step + ".ack_p50_ms");
        return consume == null || ack == null ? "" : ", p50/p99 consume " + ms(consume) + "/" + ms(num(step + ".consume_p99_ms"))
                + ", ack " + ms(ack) + "/" + ms(num(step + ".ack_p99_ms"));
    }

    private String conflicts(String step) {
        Double refused = num(step + ".conflicts");
        return refused == null ? "" : String.format(", %,.0f acks refused (409)", refused);
    }

    private String forwarding(String kind) {
        Double mean = num("scale_forwarding." + kind + "_mean_ms");
        return mean == null ? "none" : ms(mean) + " / " + ms(num("scale_forwarding." + kind + "_p99_ms")) + " ("
                + count(get("scale_forwarding." + kind + "_count", "?")) + " requests)";
    }

    private Row row(String scenario, String gateway, String baseline, String ratio, String target, Boolean met,
                    String step, String baselineStep, String why) {
        String outcome;
        if (met == null || failed(step) || failed(baselineStep)) {
            outcome = "failed to run";
        } else if (target.equals("reported")) {
            outcome = "reported";
        } else {
            outcome = met ? "yes" : "no";
        }
        StringBuilder note = new StringBuilder(why);
        String cpu = cpu(step, "gateway run");
        if (cpu != null) {
            note.append(' ').append(cpu);
        }
        String baseCpu = cpu(baselineStep, "baseline run");
        if (baseCpu != null) {
            note.append(' ').append(baseCpu);
        }
        return new Row(scenario, gateway, baseline, ratio, target, outcome, note.toString());
    }

    private boolean failed(String step) {
        return step != null && m.getProperty(step + ".step_failed") != null;
    }

    private static String count(String n) {
        try {
            return String.format("%,d", Long.parseLong(n.trim()));
        } catch (NumberFormatException e) {
            return n;
        }
    }

    private static String perPoll(Double growthMb, String parked) {
        try {
            double n = Double.parseDouble(parked);
            return growthMb == null || n <= 0 ? "" : String.format(", %.1f KB per parked poll", growthMb * 1024 / n);
        } catch (NumberFormatException e) {
            return "";
        }
    }

    /** The row counts only if the polls were really parked: at least 95% of the connections asked for. */
    private boolean parkedEnough(String parked) {
        try {
            return Double.parseDouble(parked) >= 0.95 * Double.parseDouble(get("meta.parked_target", "10000"));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** How busy the 2 cores were during a step, split between the gateway's JVM and everything else. */
    private String cpu(String step, String label) {
        Double gw = step == null ? null : num(step + ".cpu_gateway");
        Double other = step == null ? null : num(step + ".cpu_other");
        Double window = step == null ? null : num(step + ".cpu_window_s");
        if (gw == null || other == null) {
            return null;
        }
        if (window != null && window < 1) {
            return String.format("CPU, %s: not shown, the window (%.2f s) is too short for /proc's 10 ms ticks.", label,
                    window);
        }
        double cores = Double.parseDouble(get("meta.cores", "2"));
        double busy = (gw + other) / cores;
        String verdict = busy >= 0.9 ? "CPU-bound" : "not CPU-bound";
        return String.format("CPU, %s: %.0f%% of %d cores busy (%s): gateway+broker JVM %.2f cores, load generator "
                + "and the rest %.2f.", label, 100 * busy, (int) cores, verdict, gw, other);
    }

    private String table() {
        StringBuilder b = new StringBuilder();
        b.append("| # | Scenario | Kafka Gateway | Baseline (same run) | Ratio | Target | Met |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            b.append(String.format("| %d | %s | %s | %s | %s | %s | %s |%n", i + 1, r.scenario, r.gateway, r.baseline,
                    r.ratio, r.target, r.met));
        }
        return b.toString();
    }

    private String document(String table) {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmark results\n\n");
        b.append("Written by `bench/run` (see bench/README.md). Each row ran beside its baseline, the native Java Kafka "
                + "client (kafka-clients 4.2.0) from the load generator's process against the same broker, in the same "
                + "run (the producer baselines once before and once after the rows compared with them, and the table "
                + "uses their mean); compare ratios across runs, not absolute figures: on this shared machine the "
                + "same build measures up to twice as fast in one run as in another.\n\n");
        b.append("- Date: ").append(get("meta.date", "?")).append('\n');
        b.append("- Command: `").append(get("meta.command", "bench/run")).append("` (").append(get("meta.mode", "?"))
                .append(" mode, ").append(get("meta.duration_s", "?")).append(" s per measurement, ")
                .append(get("meta.warmup_s", "?")).append(" s warm-up; took ").append(get("meta.elapsed_s", "?"))
                .append(" s)\n");
        b.append("- Machine: ").append(get("meta.cores", "?")).append(" cores, ").append(get("meta.memory", "?"))
                .append("; kernel ").append(get("meta.kernel", "?")).append('\n');
        b.append("- Java: ").append(get("meta.java", "?")).append('\n');
        b.append("- Set-up: gateway and embedded single-node Kafka in one JVM (`--embedded-kafka`, bench/conf/bench.yaml), "
                + "load from a separate process (wrk, h2load, or the Java load generator bench/loadgen); every "
                + "topic has 1 partition; messages are ").append(get("meta.size", "100")).append(" bytes, the same "
                + "value every time (so snappy batches compress it well, which helps the native producer most); "
                + "consume rows read topics pre-filled by the native producer (REST ")
                .append(count(get("meta.prefill_rest_consume", "?"))).append(", WebSocket native ")
                .append(count(get("meta.prefill_ws_native", "?"))).append(", kafka-proxy ")
                .append(count(get("meta.prefill_ws_proxy", "?")))
                .append(" messages), each its own topic and groups; each consuming client of the load generator first reads "
                + "half its topic (at most 400k) under another group, to compile its read path. Before the first row every "
                + "API is warmed up for ").append(get("meta.jit_warmup_s", "?")).append(" s (JIT), then the run waits "
                + "until the gateway's JVM compiles fewer than 40 methods in 2 s (")
                .append(get("warmup.jit_settle_s", "?")).append(" s here).\n\n");
        b.append(table).append('\n');
        String errors = get("gateway.log_errors", "0");
        if (!errors.equals("0")) {
            b.append("The gateway logged ").append(errors).append(" ERROR lines during the run (bench/target/run/gateway.log "
                    + "keeps the last run's log).\n\n");
        }
        b.append("## Notes per row\n\n");
        for (int i = 0; i < rows.size(); i++) {
            b.append(i + 1).append(". ").append(rows.get(i).note).append('\n');
        }
        return b.toString();
    }

    /** REST consume stops when its topic is drained; then the figure is only a lower bound. */
    private String drained() {
        Double requests = num("rest_consume.requests");
        Double prefill = num("meta.prefill_rest_consume");
        return requests == null || prefill == null || requests < prefill - 200 ? ""
                : " (lower bound: the pre-filled topic ran out)";
    }

    /** The mean of a baseline measured before and after its rows (either alone when the other is missing). */
    private Double mean(String before, String after, String key) {
        Double a = num(before + "." + key);
        Double b = num(after + "." + key);
        return a == null ? b : b == null ? a : (a + b) / 2;
    }

    /** The two baseline runs behind a mean, so the table shows how much the machine moved meanwhile. */
    private String spread(String before, String after) {
        return spread(before, after, "msgs_per_s");
    }

    private String spread(String before, String after, String key) {
        Double a = num(before + "." + key);
        Double b = num(after + "." + key);
        return a == null || b == null ? "" : String.format(" (mean of %,.0f before and %,.0f after)", a, b);
    }

    /** CPU per message of a measurement, in µs: the gateway's JVM and everything else, from its CPU window. */
    private String perMessage(String step, Double rate, String label) {
        Double gateway = num(step + ".cpu_gateway");
        Double other = num(step + ".cpu_other");
        if (gateway == null || other == null || rate == null || rate <= 0) {
            return label + ": not measured (CPU window too short)";
        }
        return String.format("%s %.2f µs in the gateway's JVM (gateway and broker) and %.2f µs in the client, the "
                + "kernel and the rest", label, gateway / rate * 1e6, other / rate * 1e6);
    }

    /** What the client side alone would need at 0.7× the native consumer, at the cost per message measured. */
    private String clientBound(String step, Double rate, Double nativeRate) {
        Double other = num(step + ".cpu_other");
        Double gateway = num(step + ".cpu_gateway");
        if (other == null || gateway == null || rate == null || rate <= 0 || nativeRate == null) {
            return "";
        }
        return String.format(" At 0.7× the native consumer's %,.0f msg/s, the client and the rest alone would take "
                + "%.1f of the 2 cores at this cost, and the gateway's JVM another %.1f.", nativeRate,
                0.7 * nativeRate * other / rate, 0.7 * nativeRate * gateway / rate);
    }

    private String meanLatency() {
        Double mean = num("grpc_unary.mean_ms");
        return mean == null ? "" : ", mean " + ms(mean);
    }

    private String failures(String step) {
        Double failed = num(step + ".failed");
        return failed == null || failed == 0 ? "" : String.format(" (%,.0f failed)", failed);
    }

    private String incomplete(String step) {
        return "0".equals(get(step + ".complete", "1")) ? " (incomplete: " + get(step + ".messages", "?") + " msgs)" : "";
    }

    private String get(String key, String fallback) {
        return m.getProperty(key, fallback);
    }

    private Double num(String key) {
        String v = m.getProperty(key);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            return Double.isNaN(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String rate(Double perSecond) {
        return perSecond == null ? "—" : String.format("%,.0f msg/s", perSecond);
    }

    private static String both(Double perSecond, Double p50, Double p99) {
        return rate(perSecond) + ", p50 " + ms(p50) + ", p99 " + ms(p99);
    }

    private static String ms(Double v) {
        return v == null ? "—" : String.format(v < 10 ? "%.2f ms" : "%.1f ms", v);
    }

    private static String mb(Double v) {
        return v == null ? "—" : String.format("%,.0f MB", v);
    }

    private static String signedMb(Double v) {
        return v == null ? "—" : String.format("%+,.0f MB", v);
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? "—" : String.format(a / b < 10 ? "%.2f×" : "%.1f×", a / b);
    }
}
