package dev.nnlab.bench;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.RunSink;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A {@link RecordingSink} that also notes the instant the final epoch's {@code train_acc} arrives.
 * The shared loop reports {@code train_acc} right after an epoch's last step and before it evaluates,
 * so that instant ends the training time the way the PyTorch figures end it: shuffle and steps in,
 * evaluation out. Prints one progress line per epoch to {@code log}.
 */
final class EpochClockSink implements RunSink {
    private final RecordingSink recorded = new RecordingSink();
    private final int epochs;
    private final PrintStream log;
    private long startNanos;
    private long trainingEndNanos = -1;
    private CpuWindow window;
    private CpuWindow.Usage usage;
    private int kernelThreads = -1;

    EpochClockSink(int epochs, PrintStream log) {
        this.epochs = epochs;
        this.log = log;
    }

    /** Call just before the family's {@code train}. */
    void start() {
        window = new CpuWindow();
        startNanos = System.nanoTime();
    }

    @Override
    public void metric(String key, long step, double epoch, double value) {
        if (key.equals("train_acc")) {
            long now = System.nanoTime();
            if (epoch >= epochs && trainingEndNanos < 0) {
                trainingEndNanos = now;
                usage = window.close();
            }
            // The loop reports on the training thread: what the kernels may use there is what this run used.
            if (kernelThreads < 0) kernelThreads = Parallelism.threads();
            log.printf(Locale.ROOT, "  epoch %.0f/%d: train_acc %.4f after %.3f s%n", epoch, epochs, value,
                    (now - startNanos) / 1e9);
        }
        recorded.metric(key, step, epoch, value);
    }

    @Override
    public void layerStat(long step, String layer, String stat, double value) { recorded.layerStat(step, layer, stat, value); }

    @Override
    public void event(long step, Severity severity, String code, String message, String hint) {
        recorded.event(step, severity, code, message, hint);
        if (severity != Severity.INFO) log.println("  " + severity + " " + code + ": " + message);
    }

    /** Nanoseconds from {@link #start} to the final epoch's {@code train_acc}; an exception if it never came. */
    long trainingNanos() {
        if (trainingEndNanos < 0) throw new IllegalStateException("the run never reported train_acc for epoch " + epochs);
        return trainingEndNanos - startNanos;
    }

    RecordingSink recorded() { return recorded; }

    /** The CPU window from {@link #start} to the final epoch's {@code train_acc}; null before it came. */
    CpuWindow.Usage usage() { return usage; }

    /** {@link Parallelism#threads()} as seen on the training thread at the first epoch's end; -1 before. */
    int kernelThreads() { return kernelThreads; }
}
