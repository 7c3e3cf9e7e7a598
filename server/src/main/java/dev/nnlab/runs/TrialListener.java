package dev.nnlab.runs;

import dev.nnlab.spi.RunSink;
import dev.nnlab.store.RunStatus;

/** What a batch reports while it runs: progress bars in the CLI, live updates in the server. */
public interface TrialListener {
    default void onStart(long runId, String label, int epochs) {}
    default void onMetric(long runId, String key, long step, double epoch, double value) {}
    default void onEvent(long runId, RunSink.Severity severity, String code, String message) {}
    default void onFinish(long runId, RunStatus status, String error) {}
    /** A line about the batch as a whole (a successive-halving rung's choice). */
    default void onNote(String message) {}

    TrialListener NONE = new TrialListener() {};
}
