package io.kafkagateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * CPU used during a measurement: by the gateway's JVM (pid in BENCH_GATEWAY_PID, set by bench/run; several
 * comma-separated pids are summed) and by everything else on the machine, in cores. Prints nothing when the pid is not given or /proc cannot be read.
 */
final class CpuWindow {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux
    private final String pid = System.getenv("BENCH_GATEWAY_PID");
    private volatile long[] start;
    private volatile long[] end;
    private volatile long startNanos;
    private volatile long endNanos;
    private Thread timer;

    /** A window that begins now; end it with {@link #end()}. */
    static CpuWindow begin() {
        CpuWindow w = new CpuWindow();
        w.mark(true);
        return w;
    }

    /** A window between two System.nanoTime() instants, taken by a timer thread. */
    static CpuWindow between(long fromNanos, long toNanos) {
        CpuWindow w = new CpuWindow();
        w.timer = new Thread(() -> {
            LockSupport.parkNanos(fromNanos - System.nanoTime());
            w.mark(true);
            LockSupport.parkNanos(toNanos - System.nanoTime());
            w.mark(false);
        }, "cpu-window");
        w.timer.setDaemon(true);
        w.timer.start();
        return w;
    }

    void end() {
        mark(false);
    }

    void print() {
        if (timer != null) {
            try {
                timer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long[] s = start;
        long[] e = end;
        if (s == null || e == null || endNanos <= startNanos) {
            return;
        }
        double ticks = (endNanos - startNanos) / 1e9 * TICKS_PER_SECOND;
        long gateway = e[1] - s[1];
        LoadGen.result("cpu_gateway", gateway / ticks);
        LoadGen.result("cpu_other", (e[0] - s[0] - gateway) / ticks);
        LoadGen.result("cpu_window_s", (endNanos - startNanos) / 1e9);
    }

    private void mark(boolean begin) {
        long[] now = read();
        if (begin) {
            start = now;
            startNanos = System.nanoTime();
        } else {
            end = now;
            endNanos = System.nanoTime();
        }
    }

    /** Machine-wide busy ticks and the gateway's ticks. */
    private long[] read() {
        if (pid == null || pid.isBlank()) {
            return null;
        }
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(cpu[i]);
            }
            long gateway = 0;
            for (String one : pid.split(",")) {
                String stat = Files.readString(Path.of("/proc", one.trim(), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                gateway += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime stime
            }
            return new long[] {busy, gateway};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
