package dev.nnlab.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>A failed write never reaches the training thread: it is logged (at most every few seconds)
 * and counted in {@link #failedItems()}. If the queue is full because the database fell behind,
 * the training thread waits for room rather than losing data.
 *
 * <p>Thread-safe: any number of threads may report.
 */
public final class MetricWriter implements AutoCloseable {

    static final int DEFAULT_BATCH_SIZE = 4096;
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
    private static final int QUEUE_CAPACITY = 1 << 16;
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final System.Logger LOG = System.getLogger(MetricWriter.class.getName());

    /** Queued by {@link #flush()}; released once every item queued before it is committed. */
    private static final class FlushMarker {
        final CountDownLatch done = new CountDownLatch(1);
    }

    private final Dialect dialect;
    private final Clock clock;
    private final int batchSize;
    private final long intervalNanos;
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger pendingFlushes = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable lastFailure;

    // Owned by the writer thread.
    private Connection connection;
    private long lastLog = System.nanoTime() - LOG_EVERY_NANOS;

    MetricWriter(Dialect dialect, Clock clock, int batchSize, Duration interval) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        this.dialect = dialect;
        this.clock = clock;
        this.batchSize = batchSize;
        this.intervalNanos = interval.toNanos();
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

    /** One transaction; if it fails, one per run, so a run deleted mid-training costs only its own points. */
    private void write(ObservationBatch batch) {
        int n = batch.size();
        try {
            commit(batch);
            written.addAndGet(n);
            return;
        } catch (SQLException | RuntimeException e) {
            if (batch.runIds().size() == 1) {
                fail(n, e);
                return;
            }
        }
        for (ObservationBatch single : perRun(batch)) {
            try {
                commit(single);
                written.addAndGet(single.size());
            } catch (SQLException | RuntimeException e) {
                fail(single.size(), e);
            }
        }
    }

    private void commit(ObservationBatch batch) throws SQLException {
        try {
            if (connection == null) connection = dialect.connect();
            Database.inTransaction(connection, c -> {
                batch.write(c, clock.millis());
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            // The connection may be broken; the next batch starts on a fresh one.
            closeConnection();
            throw e;
        }
    }

    private static List<ObservationBatch> perRun(ObservationBatch batch) {
        Map<Long, ObservationBatch> byRun = new LinkedHashMap<>();
        for (Observation o : batch.items()) byRun.computeIfAbsent(o.runId(), k -> new ObservationBatch()).add(o);
        return List.copyOf(byRun.values());
    }

    private void fail(int items, Exception e) {
        long total = failed.addAndGet(items);
        lastFailure = e;
        long now = System.nanoTime();
        if (now - lastLog >= LOG_EVERY_NANOS) {
            lastLog = now;
            LOG.log(System.Logger.Level.WARNING, "could not record " + items + " observations ("
                    + total + " lost so far); training continues", e);
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
