package dev.nnlab.runs;

import dev.nnlab.host.LoadedFamily;
import dev.nnlab.store.RunStatus;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the trials of a batch train: in this process ({@link InProcessTrialExecutor}, the default) or
 * on the members of a cluster ({@code dev.nnlab.cluster.ClusterTrialExecutor}). A trial is a stored
 * QUEUED run; whoever trains it rebuilds it from its recorded configuration alone and writes its points
 * to the store. Callers ({@link BatchService}, {@link RunQueue}) call {@link #run} from as many threads
 * as trials should train at once, and submit or skip trial by trial, which is what adaptive searches
 * (successive halving, early aborts) need.
 */
public interface TrialExecutor extends AutoCloseable {

    /**
     * Trains the run and returns how it ended; blocks until it has. {@code launchedWith} is the build the
     * batch was planned with (an in-process executor trains on it; a remote member trains on its own
     * build of that family id). {@code stop} asks the run to stop after its current step.
     */
    RunStatus run(long runId, LoadedFamily launchedWith, AtomicBoolean stop, TrialListener listener);

    /** How many trials this executor trains at once; callers run no more than this in parallel to good effect. */
    int capacity();

    @Override
    void close();
}
