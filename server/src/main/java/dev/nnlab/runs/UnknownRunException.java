package dev.nnlab.runs;

/** A run id that names no run (never existed, or deleted). The HTTP API answers 404. */
public final class UnknownRunException extends RuntimeException {
    private final long runId;

    public UnknownRunException(long runId) {
        super("no run " + runId);
        this.runId = runId;
    }

    public long runId() { return runId; }
}
