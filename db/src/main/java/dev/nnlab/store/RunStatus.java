package dev.nnlab.store;

/** Where a run is in its life: QUEUED, then RUNNING, then one of the terminal states. */
public enum RunStatus {
    QUEUED,
    RUNNING,
    /** Trained to the end. */
    FINISHED,
    /** Threw an error; {@link Run#error()} says which. */
    FAILED,
    /** Stopped because the loss became NaN or exploded. */
    DIVERGED,
    /** Its process died (crash, kill -9, power loss); found by crash recovery. */
    INTERRUPTED,
    /** Stopped on purpose (a user, or early stopping of a sweep). */
    STOPPED;

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
