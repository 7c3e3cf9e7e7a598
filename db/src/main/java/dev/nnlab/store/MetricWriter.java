package dev.nnlab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Records what training reports without slowing it down. The training thread only puts a small
 * record in a bounded array queue (no I/O; the queue's lock is held for a few instructions); a
 * daemon thread drains it every {@code interval}, or as soon as {@code batchSize} items wait, into
 * ONE transaction of JDBC batch inserts on its own connection. A committed batch survives a crash
 * of the process; at most the last interval's items are lost.
 *
 * <p>A failed write never reaches the training thread. A batch that fails because the database is
 * busy (another process holds it) is tried again with growing delays ({@link BusyRetry}); what is
 * still lost after that is counted in {@link #failedItems()}, logged (at most every few seconds),
 * and recorded on each run it belonged to as a {@code points_lost} warning event with the count,
 * so that the run itself says its curves have gaps. If the queue is full because the database fell
 * behind, the training thread waits for room rather than losing data.
 *
 * <p>Thread-safe: any number of threads may report.
 */
public final class MetricWriter implements AutoCloseable {

    static final int DEFAULT_BATCH_SIZE = 4096;
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
    private static final int QUEUE_CAPACITY = 1 << 16;
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final System.Logger LOG = System.getLogger(MetricWriter.class.getName());
    /** The code of the event that says a run lost observations. */
    public static final String POINTS_LOST = "points_lost";

    /** Queued by {@link #flush()}; released once every item queued before it is committed. */
    private static final class FlushMarker {
        final CountDownLatch done = new CountDownLatch(1);
    }

    private final Dialect dialect;
    private final Clock clock;
    private final int batchSize;
    private final long intervalNanos;
    private final BusyRetry retry;
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong fenced = new AtomicLong();
    /** The runs this process trains, whose writes are fenced (null: none are, e.g. a bare writer in a test). */
    private final OwnedRuns owned;
    private final Owner owner;
    private final AtomicInteger pendingFlushes = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable lastFailure;

    // Owned by the writer thread.
    private Connection connection;
    private long lastLog = System.nanoTime() - LOG_EVERY_NANOS;
    /** Observations lost after every retry, by run, not yet recorded as an event on the run. */
    private final Map<Long, Long> unreportedLosses = new LinkedHashMap<>();
    private String lastLossReason;

    MetricWriter(Dialect dialect, Clock clock, int batchSize, Duration interval) {
        this(dialect, clock, batchSize, interval, BusyRetry.DEFAULT, null, null);
    }

    MetricWriter(Dialect dialect, Clock clock, int batchSize, Duration interval, BusyRetry retry) {
        this(dialect, clock, batchSize, interval, retry, null, null);
    }

    /**
     * A writer whose items for runs held in {@code owned} are written only while {@code owner} still
     * owns the run, checked in each batch's transaction ({@link Fencing}).
     */
    MetricWriter(Dialect dialect, Clock clock, int batchSize, Duration interval, BusyRetry retry, OwnedRuns owned, Owner owner) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        this.owned = owned;
        this.owner = owner;
        this.dialect = dialect;
        this.clock = clock;
        this.batchSize = batchSize;
        this.intervalNanos = interval.toNanos();
        this.retry = retry;
        this.thread = Thread.ofPlatform().daemon().name("nnlab-metric-writer").start(this::drainLoop);
    }

    /** Queues one point of a learning curve, timed now. */
    public void metric(long runId, String key, long step, double epoch, double value) {
        enqueue(new MetricPoint(runId, key, step, epoch, clock.millis(), value));
    }

    /** Queues one statistic of one layer. */
    public void layerStat(long runId, long step, String layer, String stat, double value) {
        enqueue(new LayerStat(runId, step, layer, stat, value));
    }

    /** Queues a diagnostic, timed now; {@code step} -1 for none. */
    public void event(long runId, long step, RunEvent.Level level, String code, String message, String hint) {
        enqueue(new RunEvent(runId, step, level, code, message, hint, clock.millis()));
    }

    /** Queues any observation. */
    public void write(Observation observation) {
        enqueue(observation);
    }

    private void enqueue(Object item) {
        if (!offer(item)) {
            failed.incrementAndGet();
            return;
        }
        if (item instanceof Observation && enqueued.incrementAndGet() % batchSize == 0) LockSupport.unpark(thread);
    }

    /** False if the writer is closed or gone; waits while the queue is full. */
    private boolean offer(Object item) {
        if (closing) return false;
        if (queue.offer(item)) return true;
        LockSupport.unpark(thread);
        try {
            while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                if (closing || !thread.isAlive()) return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Blocks until everything this thread queued before the call is committed (or counted as failed). */
    public void flush() {
        FlushMarker marker = new FlushMarker();
        pendingFlushes.incrementAndGet();
        if (!offer(marker)) {
            pendingFlushes.decrementAndGet();
            return;
        }
        LockSupport.unpark(thread);
        try {
            while (!marker.done.await(50, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Items committed so far. */
    public long writtenItems() {
        return written.get();
    }

    /** Items lost: their batch failed, or they came after {@link #close()}. */
    public long failedItems() {
        return failed.get();
    }

    /**
     * Items dropped because their run is trained by another process now (it was put back in the queue
     * while this one seemed lost); not failures: the new attempt records the run.
     */
    public long fencedItems() {
        return fenced.get();
    }

    /** The most recent write failure, or null. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /** Flushes, stops the writer thread and closes its connection. */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // Items that raced with closing: nobody will write them.
        for (Object leftover; (leftover = queue.poll()) != null; ) {
            if (leftover instanceof FlushMarker m) m.done.countDown();
            else failed.incrementAndGet();
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void drainLoop() {
        List<Object> drained = new ArrayList<>(batchSize);
        List<FlushMarker> markers = new ArrayList<>();
        ObservationBatch batch = new ObservationBatch();
        long lastWrite = System.nanoTime();
        try {
            while (true) {
                boolean stopping = closing;
                long waited = System.nanoTime() - lastWrite;
                if (!stopping && waited < intervalNanos && pendingFlushes.get() == 0 && queue.size() < batchSize) {
                    LockSupport.parkNanos(this, intervalNanos - waited);
                    continue;
                }
                queue.drainTo(drained, batchSize);
                for (Object o : drained) {
                    if (o instanceof FlushMarker m) markers.add(m);
                    else batch.add((Observation) o);
                }
                if (batch.size() > 0) write(batch);
                // Before the flush markers are released: a flushed run already says what it lost.
                if (!unreportedLosses.isEmpty()) reportLosses();
                for (FlushMarker m : markers) {
                    pendingFlushes.decrementAndGet();
                    m.done.countDown();
                }
                drained.clear();
                markers.clear();
                batch.clear();
                lastWrite = System.nanoTime();
                if (stopping && queue.isEmpty()) return;
            }
        } finally {
            closeConnection();
        }
    }

    /**
     * One transaction, tried again while the database is busy. If it fails otherwise (a run deleted
     * mid-training), one transaction per run, so that only that run's items are lost.
     */
    private void write(ObservationBatch batch) {
        int n = batch.size();
        try {
            written.addAndGet(n - commit(batch));
            return;
        } catch (SQLException | RuntimeException e) {
            if (batch.runIds().size() == 1 || busy(e)) {
                lose(batch, e);
                return;
            }
        }
        for (ObservationBatch single : perRun(batch)) {
            try {
                written.addAndGet(single.size() - commit(single));
            } catch (SQLException | RuntimeException e) {
                lose(single, e);
            }
        }
    }

    /** Commits the batch; the number of its items dropped because another process owns their run now. */
    private int commit(ObservationBatch batch) throws SQLException {
        Set<Long> fencedRuns = owned == null ? Set.of() : owned.heldAmong(batch.runIds());
        Set<Long> lost = retry.run(dialect, () -> {
            try {
                if (connection == null) connection = dialect.connect();
                return Database.inTransaction(connection, c -> {
                    Set<Long> gone = new HashSet<>(fencedRuns);
                    gone.removeAll(Fencing.stillOwned(c, dialect, owner, fencedRuns));
                    (gone.isEmpty() ? batch : batch.without(gone)).write(c, dialect, clock.millis());
                    return gone;
                });
            } catch (SQLException | RuntimeException e) {
                // The connection may be broken; the next attempt starts on a fresh one.
                closeConnection();
                throw e;
            }
        });
        if (lost.isEmpty()) return 0;
        int dropped = 0;
        for (Observation o : batch.items()) if (lost.contains(o.runId())) dropped++;
        fenced.addAndGet(dropped);
        lost.forEach(owned::takenOver);
        return dropped;
    }

    private boolean busy(Exception e) {
        return e instanceof SQLException s && dialect.isBusy(s);
    }

    private static List<ObservationBatch> perRun(ObservationBatch batch) {
        Map<Long, ObservationBatch> byRun = new LinkedHashMap<>();
        for (Observation o : batch.items()) byRun.computeIfAbsent(o.runId(), k -> new ObservationBatch()).add(o);
        return List.copyOf(byRun.values());
    }

    private void lose(ObservationBatch batch, Exception e) {
        for (Observation o : batch.items()) unreportedLosses.merge(o.runId(), 1L, Long::sum);
        lastLossReason = busy(e) ? "the database stayed busy (another process held it)" : "the write failed: " + e.getMessage();
        long total = failed.addAndGet(batch.size());
        lastFailure = e;
        long now = System.nanoTime();
        if (now - lastLog >= LOG_EVERY_NANOS) {
            lastLog = now;
            LOG.log(System.Logger.Level.WARNING, "could not record " + batch.size() + " observations ("
                    + total + " lost so far); training continues", e);
        }
    }

    /**
     * Records on each run how many of its items were lost, as a {@code points_lost} warning. A run
     * that no longer exists needs no record; if the database still fails, the next drain tries again.
     */
    private void reportLosses() {
        String reason = lastLossReason;
        try {
            retry.run(dialect, () -> {
                if (connection == null) connection = dialect.connect();
                return Database.inTransaction(connection, c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO events "
                            + "(run_id, step, level, code, message, hint, wall_time) "
                            + "SELECT ?, -1, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?) "
                            + "ON CONFLICT (" + ObservationBatch.EVENT_KEY + ") DO NOTHING")) {
                        for (Map.Entry<Long, Long> e : unreportedLosses.entrySet()) {
                            ps.setLong(1, e.getKey());
                            ps.setString(2, RunEvent.Level.WARNING.name());
                            ps.setString(3, POINTS_LOST);
                            ps.setString(4, e.getValue() + " metric points, layer statistics or events of this run "
                                    + "could not be recorded: " + reason);
                            ps.setString(5, "The curves of this run have gaps there. Another process held the "
                                    + "database for seconds, or the disk failed; the log of the process that trained "
                                    + "the run has the details.");
                            ps.setLong(6, clock.millis());
                            ps.setLong(7, e.getKey());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    return null;
                });
            });
            unreportedLosses.clear();
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            LOG.log(System.Logger.Level.WARNING, "cannot record yet that runs " + unreportedLosses.keySet()
                    + " lost observations; will try again: " + e.getMessage());
        }
    }

    private void closeConnection() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Already broken; nothing more to release.
        }
        connection = null;
    }
}
