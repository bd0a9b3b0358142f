package io.kafkagateway.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits until the JIT compilers of this JVM and of the gateway's (pid in BENCH_GATEWAY_PID, several comma-separated
 * for the scale-out row) have gone quiet: a warm-up makes them compile the path it ran, and those compiles, which take
 * a core for a second or more, would otherwise run inside the measured window and be counted as the gateway's cost. Quiet is less than a tenth of a core over a second.
 */
final class JitQuiet {
    private static final long QUIET_TICKS_PER_SECOND = 10; // of 100 (USER_HZ)
    private static final long MAX_WAIT_MILLIS = 30_000;

    private JitQuiet() {
    }

    /** Seconds waited; returns at once when /proc cannot be read. */
    static double await() throws InterruptedException {
        long start = System.nanoTime();
        long before = ticks();
        if (before < 0) {
            return 0;
        }
        while ((System.nanoTime() - start) / 1_000_000 < MAX_WAIT_MILLIS) {
            Thread.sleep(1000);
            long now = ticks();
            if (now - before < QUIET_TICKS_PER_SECOND) {
                break;
            }
            before = now;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** CPU ticks used so far by the compiler threads of both JVMs, -1 when /proc is not there. */
    private static long ticks() {
        String gateway = System.getenv("BENCH_GATEWAY_PID");
        long self = compilerTicks(Path.of("/proc/self/task"));
        if (self < 0) {
            return -1;
        }
        long others = 0;
        for (String pid : gateway == null ? new String[0] : gateway.split(",")) {
            if (!pid.isBlank()) {
                others += Math.max(0, compilerTicks(Path.of("/proc", pid.trim(), "task")));
            }
        }
        return self + others;
    }

    private static long compilerTicks(Path tasks) {
        long total = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm")).trim();
                    if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                        continue;
                    }
                    String stat = Files.readString(thread.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    total += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime stime
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }
}
