package dev.nnlab.runs;

import dev.nnlab.store.RunStatus;

/**
 * What the server's run queue tells its terminal: each run it starts (debug) and how each ended,
 * a failed or diverged run with its reason as a warning. Nobody may be watching the browser when a
 * queued run fails; the {@code ./nnlab serve} terminal then still says so.
 */
final class QueueLog implements TrialListener {
    private final System.Logger log;

    QueueLog(System.Logger log) {
        this.log = log;
    }

    @Override
    public void onStart(long runId, String label, int epochs) {
        log.log(System.Logger.Level.DEBUG, "run " + runId + " (" + label + ") started: " + epochs + " epoch(s)");
    }

    @Override
    public void onNote(String message) {
        log.log(System.Logger.Level.INFO, message);
    }

    @Override
    public void onFinish(long runId, RunStatus status, String error) {
        boolean bad = status == RunStatus.FAILED || status == RunStatus.DIVERGED;
        log.log(bad ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "run " + runId + " " + status + (error == null ? "" : ": " + error));
    }
}
