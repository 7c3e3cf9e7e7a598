package dev.nnlab.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Waits, for a bounded time, until other processes leave the cores alone before a measurement
 * starts. The harness itself is idle while it waits, so the machine's busy time over a one-second
 * sample ({@code /proc/stat}) is other processes' work. Multi-threaded peers suffer most from a
 * busy machine: PyTorch's OpenMP workers wait for each other at every operator, so one descheduled
 * worker stalls them all. After the bound the measurement runs anyway; its line records the wait
 * and the load, and {@link CpuWindow} records what others took during the measurement itself.
 */
final class QuietMachine {
    /** At most this much of a core taken by others counts as quiet (a shell, a browser tab idling). */
    static final double QUIET_CORES = 0.25;

    private final double maxWaitSeconds;
    private final LongSupplier busyTicks;
    private final Sleeper sleeper;

    /** How long the harness waited and how busy the machine was in the last sample before starting. */
    record Wait(double waitedSeconds, double busyCores, boolean quiet) {}

    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    QuietMachine(double maxWaitSeconds) {
        this(maxWaitSeconds, () -> CpuWindow.machineBusyTicks(Path.of("/proc/stat")), Thread::sleep);
    }

    QuietMachine(double maxWaitSeconds, LongSupplier busyTicks, Sleeper sleeper) {
        this.maxWaitSeconds = maxWaitSeconds;
        this.busyTicks = busyTicks;
        this.sleeper = sleeper;
    }

    /** Samples one second at a time until quiet or {@code maxWaitSeconds} passed; 0 returns at once. */
    Wait await(PrintStream log) throws InterruptedException {
        if (maxWaitSeconds <= 0) return new Wait(0, Double.NaN, false);
        double waited = 0, busy = Double.NaN;
        long before = busyTicks.getAsLong();
        if (before < 0) return new Wait(0, Double.NaN, false);
        while (true) {
            sleeper.sleep(1000);
            waited += 1;
            long now = busyTicks.getAsLong();
            busy = (now - before) / CpuWindow.TICKS_PER_SECOND;
            before = now;
            if (busy <= QUIET_CORES) return new Wait(waited, busy, true);
            if (waited >= maxWaitSeconds) {
                log.printf(Locale.ROOT, "  the machine stayed busy (%.2f cores used by other processes) for %.0f s; measuring anyway%n",
                        busy, waited);
                return new Wait(waited, busy, false);
            }
        }
    }
}
