package io.kafkagateway.bench;

import static io.kafkagateway.bench.LoadGen.log;
import static io.kafkagateway.bench.LoadGen.result;

/** How every consume measurement reports: messages from the first received to the last, over that time. */
final class Rates {
    private Rates() {
    }

    /** Prints the rate; a run that got fewer than expected still reports (complete=0), one that got none fails. */
    static int consumed(long received, long expected, long firstNanos, long lastNanos, CpuWindow cpu) {
        if (received == 0) {
            log("no message received");
            return 1;
        }
        double seconds = Math.max(1e-3, (lastNanos - firstNanos) / 1e9);
        // Counts the first batch too (it arrives at firstNanos): by at most one batch too high, the same for all.
        result("msgs_per_s", received / seconds);
        result("messages", received);
        result("complete", received >= expected ? 1 : 0);
        if (cpu != null) {
            cpu.print();
        }
        if (received < expected) {
            log("received %d of %d messages before the timeout", received, expected);
        }
        return 0;
    }
}
