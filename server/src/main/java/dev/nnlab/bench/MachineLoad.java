package dev.nnlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How much other work competes for the cores while a benchmark runs. Multi-threaded PyTorch suffers
 * most: its OpenMP workers wait for each other at every operator, so one descheduled worker stalls
 * them all, and a busy 2-core machine can cut its small-model throughput tenfold.
 */
final class MachineLoad {
    private MachineLoad() {}

    /** One line with the 1-minute load average, warning when it exceeds the cores; null when unknown. */
    static String describe() {
        return describe(oneMinuteLoad(Path.of("/proc/loadavg")), Runtime.getRuntime().availableProcessors());
    }

    static String describe(double load, int cores) {
        if (Double.isNaN(load)) return null;
        String line = String.format(Locale.ROOT, "machine load (1-minute average, earlier workloads of this run included): "
                + "%.1f on %d cores", load, cores);
        return load <= cores ? line
                : line + "; the machine is busy, so throughputs (multi-threaded PyTorch's most of all) "
                        + "are below a quiet machine's";
    }

    static double oneMinuteLoad(Path loadavg) {
        try {
            return Double.parseDouble(Files.readString(loadavg).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
