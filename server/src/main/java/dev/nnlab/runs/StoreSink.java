package dev.nnlab.runs;

import dev.nnlab.spi.RunSink;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.OwnedRuns;
import dev.nnlab.store.RunEvent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host's {@link RunSink}: everything a family reports is enqueued on the batched
 * {@link MetricWriter} (the training thread never waits for the database), and also shown to a
 * {@link TrialListener} (progress bars, live views). A stop is asked for in this process (the flag)
 * or through the store by any process (the hold's flag, which the store watches on its own thread):
 * either way {@link #stopRequested()} reads only memory.
 */
public final class StoreSink implements RunSink {
    private final long runId;
    private final MetricWriter writer;
    private final TrialListener listener;
    private final AtomicBoolean stop;
    private final OwnedRuns.Hold hold;

    public StoreSink(long runId, MetricWriter writer, TrialListener listener, AtomicBoolean stop) {
        this(runId, writer, listener, stop, null);
    }

    public StoreSink(long runId, MetricWriter writer, TrialListener listener, AtomicBoolean stop, OwnedRuns.Hold hold) {
        this.runId = runId;
        this.writer = writer;
        this.listener = listener;
        this.stop = stop;
        this.hold = hold;
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
        return stop.get() || (hold != null && hold.stopRequested());
    }
}
