package dev.nnlab.runs;

import dev.nnlab.spi.ArtifactWriter;
import dev.nnlab.spi.RunSink;

import java.util.Locale;

/**
 * A batch's {@code abortExploding}: passes everything on to the host's sink and asks the run to
 * stop once a reported {@code train_loss} exceeds {@value #FACTOR}x the run's start, the notes' rule
 * for a learning rate that is too high. The start is {@code initial_loss} (the first batch's loss,
 * before any update) when the family reports it, else its first {@code train_loss}. The run then ends
 * STOPPED with {@link #reason()} as its message, and an {@code aborted_exploding} event says why.
 */
final class ExplodingLossAbort implements RunSink {
    static final double FACTOR = 3.0;

    private final RunSink next;
    private double start = Double.NaN;
    private volatile String reason;

    ExplodingLossAbort(RunSink next) {
        this.next = next;
    }

    @Override
    public void metric(String key, long step, double epoch, double value) {
        next.metric(key, step, epoch, value);
        if (key.equals("initial_loss") && Double.isFinite(value)) {
            start = value;
        } else if (key.equals("train_loss")) {
            if (Double.isNaN(start)) {
                start = value;
            } else if (reason == null && start > 0 && !(value <= FACTOR * start)) {
                // !(<=) so that a NaN or infinite loss also counts as exploded.
                reason = String.format(Locale.ROOT, "aborted: train_loss %.4g at step %d (epoch %.2f) exceeds %.0fx its start %.4g",
                        value, step, epoch, FACTOR, start);
                next.event(step, Severity.WARNING, "aborted_exploding", reason,
                        "The batch asked to abort exploding runs (abortExploding): this learning rate is probably too high. "
                                + "The run's budget goes to the other trials.");
            }
        }
    }

    @Override
    public void layerStat(long step, String layer, String stat, double value) { next.layerStat(step, layer, stat, value); }

    @Override
    public void event(long step, Severity severity, String code, String message, String hint) {
        next.event(step, severity, code, message, hint);
    }

    @Override
    public void artifact(String name, String mediaType, ArtifactWriter writer) { next.artifact(name, mediaType, writer); }

    @Override
    public boolean stopRequested() { return reason != null || next.stopRequested(); }

    /** Why the run was aborted; null while it was not. */
    String reason() { return reason; }
}
