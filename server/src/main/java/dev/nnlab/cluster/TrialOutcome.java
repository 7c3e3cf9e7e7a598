package dev.nnlab.cluster;

import dev.nnlab.store.RunStatus;

import java.io.Serializable;

/**
 * What a worker answers to a {@link TrialTask}: the run ended (its status is in the store too), the worker
 * refused it without touching it (it lacks the plugin or the dataset, or the run is not its to train), or
 * the worker left the cluster while training it. Small: the run's points go to the store, never through
 * the engine.
 */
record TrialOutcome(Kind kind, RunStatus status, String message, String worker) implements Serializable {
    enum Kind { ENDED, REFUSED, ABANDONED }

    static TrialOutcome ended(RunStatus status, String message, String worker) {
        return new TrialOutcome(Kind.ENDED, status, message, worker);
    }

    static TrialOutcome refused(String reason, String worker) {
        return new TrialOutcome(Kind.REFUSED, null, reason, worker);
    }

    static TrialOutcome abandoned(String reason, String worker) {
        return new TrialOutcome(Kind.ABANDONED, null, reason, worker);
    }
}
