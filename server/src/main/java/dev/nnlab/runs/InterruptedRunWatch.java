package dev.nnlab.runs;

import dev.nnlab.store.Store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * While the server runs, marks the runs of processes that died (a CLI batch killed with
 * {@code kill -9}) INTERRUPTED every {@code interval}, instead of only when a store is next opened.
 * The store decides who is dead (the process table on this host, heartbeats otherwise); the live
 * watcher then shows the new status like any other change. Knows nothing of HTTP.
 */
public final class InterruptedRunWatch implements AutoCloseable {
    /** A run of a killed batch shows as INTERRUPTED within this, well inside a minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    private static final System.Logger LOG = System.getLogger("nnlab.recovery");

    private final Store store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("nnlab-interrupted-runs").unstarted(r));

    private InterruptedRunWatch(Store store) {
        this.store = store;
    }

    public static InterruptedRunWatch start(Store store, Duration interval) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive: " + interval);
        InterruptedRunWatch w = new InterruptedRunWatch(store);
        w.timer.scheduleWithFixedDelay(w::recoverQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return w;
    }

    /** A failed look is logged and the next one tries again: an exception would cancel the schedule. */
    private void recoverQuietly() {
        try {
            List<Long> ids = store.recoverInterruptedRuns();
            if (!ids.isEmpty()) LOG.log(System.Logger.Level.INFO, "runs of ended processes marked INTERRUPTED: " + ids);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot look for interrupted runs, will try again: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
