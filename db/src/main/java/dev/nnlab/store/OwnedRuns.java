package dev.nnlab.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The runs this process is training. One daemon thread, every {@code pulse}, reads their stop flags
 * (set by {@link Runs#requestStop} from any process: the server's UI stopping a run of a CLI batch)
 * and, less often, writes their heartbeat. A training loop only reads a volatile field
 * ({@link Hold#stopRequested()}), so asking "should I stop?" every step costs nothing.
 *
 * <p>Thread-safe. The thread starts with the first held run and ends with the store.
 */
public final class OwnedRuns implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("nnlab.store");
    /** Crash recovery of other hosts gives up after minutes; a heartbeat every few seconds is plenty. */
    private static final long HEARTBEAT_MILLIS = 5_000;

    /** A run held by this process, until closed. */
    public final class Hold implements AutoCloseable {
        private final long runId;
        private volatile boolean stopRequested;
        private volatile boolean takenOver;

        private Hold(long runId) {
            this.runId = runId;
        }

        public long runId() {
            return runId;
        }

        /** Whether someone asked, through the store, for this run to stop. */
        public boolean stopRequested() {
            return stopRequested;
        }

        /**
         * Whether another process owns the run now: it was put back in the queue while this process
         * seemed lost, and started again there. What this process still writes for it is dropped
         * ({@link Fencing}); its training should stop.
         */
        public boolean takenOver() {
            return takenOver;
        }

        @Override
        public void close() {
            held.remove(runId, this);
        }
    }

    private final Runs runs;
    private final Duration pulse;
    private final Map<Long, Hold> held = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private long lastHeartbeat;
    private boolean closed;

    OwnedRuns(Runs runs, Duration pulse) {
        this.runs = runs;
        this.pulse = pulse;
    }

    /**
     * Holds {@code runId} for this process: from now until the hold is closed, its heartbeat is
     * written and its stop flag watched. A stop asked for before the hold is seen at once.
     */
    public Hold hold(long runId) {
        Hold h = new Hold(runId);
        held.put(runId, h);
        try {
            h.stopRequested = runs.stopRequested(List.of(runId)).contains(runId);
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the stop flag of run " + runId + " yet: " + e.getMessage());
        }
        startTimer();
        return h;
    }

    private synchronized void startTimer() {
        if (timer != null || closed) return;
        timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("nnlab-owned-runs").unstarted(r));
        timer.scheduleWithFixedDelay(this::pulseQuietly, pulse.toMillis(), pulse.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One look at the store; a failure is logged and the next pulse tries again. */
    void pulse() {
        if (held.isEmpty()) return;
        Set<Long> ids = Set.copyOf(held.keySet());
        Set<Long> stop = runs.stopRequested(ids);
        for (long id : stop) {
            Hold h = held.get(id);
            if (h != null) h.stopRequested = true;
        }
        long now = System.currentTimeMillis();
        if (now - lastHeartbeat >= HEARTBEAT_MILLIS) {
            if (runs.heartbeat(ids) < ids.size()) runs.notOwned(ids).forEach(this::takenOver);
            lastHeartbeat = now;
        }
    }

    /** The ones of {@code runIds} this process holds. */
    Set<Long> heldAmong(Set<Long> runIds) {
        if (held.isEmpty()) return Set.of();
        Set<Long> out = new java.util.HashSet<>(runIds);
        out.retainAll(held.keySet());
        return out;
    }

    /** Another process owns {@code runId} now (see {@link Hold#takenOver()}). */
    void takenOver(long runId) {
        Hold h = held.get(runId);
        if (h == null || h.takenOver) return;
        h.takenOver = true;
        LOG.log(System.Logger.Level.WARNING, "run " + runId + " is trained by another process now (it was put back in "
                + "the queue while this one seemed lost); what this process still records for it is dropped");
    }

    private void pulseQuietly() {
        try {
            pulse();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot check the runs of this process: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer == null) return;
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
