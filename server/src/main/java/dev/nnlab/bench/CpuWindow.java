package dev.nnlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU a timed section used, next to what the whole machine used meanwhile: this process's
 * ticks ({@code /proc/self/stat} utime + stime, all threads) and the machine's busy ticks (the
 * first line of {@code /proc/stat}), at the start and end of the section. Busy minus own is what
 * other processes took from the cores while the figure was measured. The peer scripts measure the
 * same way ({@code bench_common.py}), so both sides of a ratio carry comparable load figures.
 *
 * <p>Ticks are {@code USER_HZ}, 100 per second on every Linux nnlab runs on (the kernel's ABI, not
 * its internal HZ).
 */
final class CpuWindow {
    static final double TICKS_PER_SECOND = 100.0;

    private final long startNanos = System.nanoTime();
    private final long startBusy = machineBusyTicks(Path.of("/proc/stat"));
    private final long startSelf = ownTicks(Path.of("/proc/self/stat"));

    /** Wall, own CPU and machine busy seconds since construction. */
    record Usage(double wallSeconds, double selfCpuSeconds, double busyCpuSeconds) {
        /** CPU seconds other processes used during the window, never negative (ticks are coarse). */
        double othersCpuSeconds() { return Math.max(0, busyCpuSeconds - selfCpuSeconds); }

        /** Cores' worth of other work on average: 0 on a quiet machine, 1.0 when one core was fully taken. */
        double othersCores() { return wallSeconds <= 0 ? 0 : othersCpuSeconds() / wallSeconds; }
    }

    Usage close() {
        return new Usage((System.nanoTime() - startNanos) / 1e9,
                (ownTicks(Path.of("/proc/self/stat")) - startSelf) / TICKS_PER_SECOND,
                (machineBusyTicks(Path.of("/proc/stat")) - startBusy) / TICKS_PER_SECOND);
    }

    /** user + nice + system + irq + softirq + steal of the aggregate "cpu" line; -1 when unreadable. */
    static long machineBusyTicks(Path procStat) {
        try (var lines = Files.lines(procStat)) {
            String first = lines.findFirst().orElse("");
            return busyTicks(first);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long busyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (f.length < 5 || !f[0].equals("cpu")) throw new IllegalArgumentException("not the aggregate cpu line: " + cpuLine);
        long[] v = new long[8];
        for (int i = 0; i < 8 && i + 1 < f.length; i++) v[i] = Long.parseLong(f[i + 1]);
        // user nice system idle iowait irq softirq steal: idle and iowait are the only non-busy ones.
        return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    }

    /** utime + stime of a {@code /proc/PID/stat} file; -1 when unreadable. */
    static long ownTicks(Path pidStat) {
        try {
            return statTicks(Files.readString(pidStat));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long statTicks(String stat) {
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** VmHWM (peak resident set) of a {@code /proc/PID/status} file in KiB; -1 when unreadable. */
    static long peakRssKib(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
