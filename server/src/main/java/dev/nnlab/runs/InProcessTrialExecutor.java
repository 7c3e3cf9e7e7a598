package dev.nnlab.runs;

import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains trials in this process, {@code parallel} at a time, with the cores shared out between them
 * (each trial gets {@code cores / parallel} kernel threads). Owns one batched metric writer for all
 * of them.
 */
public final class InProcessTrialExecutor implements TrialExecutor {
    private final MetricWriter writer;
    private final TrialRunner runner;
    private final int parallel;

    public InProcessTrialExecutor(Store store, PluginRegistry plugins, DataCache data, int parallel) {
        this.parallel = Math.max(1, parallel);
        this.writer = store.newMetricWriter();
        this.runner = new TrialRunner(store, writer, plugins, data, threadsPerTrial(this.parallel));
    }

    /** Kernel threads of each of {@code parallel} trials trained at once on this machine. */
    public static int threadsPerTrial(int parallel) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, parallel));
    }

    @Override
    public RunStatus run(long runId, LoadedFamily launchedWith, AtomicBoolean stop, TrialListener listener) {
        return runner.run(runId, stop, listener, launchedWith);
    }

    @Override
    public int capacity() {
        return parallel;
    }

    @Override
    public void close() {
        writer.close();
    }
}
