package dev.nnlab.runs;

/**
 * A request that the run's current state forbids: deleting a RUNNING run, stopping a run that
 * another process trains, a full run queue. The message says why and what to do; the HTTP API
 * answers 409.
 */
public final class RunConflictException extends RuntimeException {
    public RunConflictException(String message) {
        super(message);
    }
}
