package dev.nnlab.runs;

import dev.nnlab.spi.ArtifactName;
import dev.nnlab.spi.ArtifactWriter;
import dev.nnlab.spi.RunSink;
import dev.nnlab.store.Artifacts;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.OwnedRuns;
import dev.nnlab.store.RunEvent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host's {@link RunSink}: everything a family reports is enqueued on the batched
 * {@link MetricWriter} (the training thread never waits for the database), and also shown to a
 * {@link TrialListener} (progress bars, live views). Artifacts are written on the calling thread,
 * straight into the store's files: they are few (a confusion matrix, a weight picture, a checkpoint
 * at the end), and streaming them never holds one whole in memory. A stop is asked for in this
 * process (the flag) or through the store by any process (the hold's flag, which the store watches
 * on its own thread): either way {@link #stopRequested()} reads only memory.
 */
public final class StoreSink implements RunSink {
    private final long runId;
    private final MetricWriter writer;
    private final Artifacts artifacts;
    private final TrialListener listener;
    private final AtomicBoolean stop;
    private final OwnedRuns.Hold hold;

    public StoreSink(long runId, MetricWriter writer, Artifacts artifacts, TrialListener listener, AtomicBoolean stop) {
        this(runId, writer, artifacts, listener, stop, null);
    }

    public StoreSink(long runId, MetricWriter writer, Artifacts artifacts, TrialListener listener, AtomicBoolean stop,
                     OwnedRuns.Hold hold) {
        this.runId = runId;
        this.writer = writer;
        this.artifacts = artifacts;
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

    /**
     * Stores the artifact. A bad name or media type is the plugin's mistake and throws; a failure to
     * write it (disk full, the writer threw) does not end the run: it becomes an ERROR event that
     * names the artifact, so the run's page says what is missing and why.
     */
    @Override
    public void artifact(String name, String mediaType, ArtifactWriter content) {
        ArtifactName.check(name);
        ArtifactName.checkMediaType(mediaType);
        // Another process trains the run now: its files are that attempt's.
        if (hold != null && hold.takenOver()) return;
        try {
            artifacts.put(runId, name, mediaType, content::writeTo);
        } catch (RuntimeException e) {
            event(-1, Severity.ERROR, "artifact_failed", "artifact " + name + " could not be stored: "
                            + (e.getCause() != null ? e.getMessage() + " (" + e.getCause() + ")" : e.toString()),
                    "The run itself is not affected; check the free space and permissions of " + artifacts.directory() + ".");
        }
    }

    @Override
    public boolean stopRequested() {
        return stop.get() || (hold != null && (hold.stopRequested() || hold.takenOver()));
    }
}
