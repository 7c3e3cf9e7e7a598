package dev.nnlab.runs;

import dev.nnlab.spi.RunSink;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.RunEvent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host's {@link RunSink}: everything a family reports is enqueued on the batched
 * {@link MetricWriter} (the training thread never waits for the database), and also shown to a
 * {@link TrialListener} (progress bars, live views).
 */
public final class StoreSink implements RunSink {
    private final long runId;
    private final MetricWriter writer;
    private final TrialListener listener;
    private final AtomicBoolean stop;

    public StoreSink(long runId, MetricWriter writer, TrialListener listener, AtomicBoolean stop) {
        this.runId = runId;
        this.writer = writer;
        this.listener = listener;
        this.stop = stop;
    }

    @Override
    public void metric(String key, long step, double epoch, double value) {
        writer.metric(runId, key, step, epoch, value);
        listener.onMetric(runId, key, step, epoch, value);
    }

    @Override
    public void layerStat(long step, String layer, String stat, double value) {
        writer.layerStat(runId, step, layer, stat, value);
    }

    @Override
    public void event(long step, Severity severity, String code, String message, String hint) {
        writer.event(runId, step, RunEvent.Level.valueOf(severity.name()), code, message, hint);
        listener.onEvent(runId, severity, code, message);
    }

    @Override
    public boolean stopRequested() {
        return stop.get();
    }
}
