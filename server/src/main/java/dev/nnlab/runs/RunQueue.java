package dev.nnlab.runs;

import dev.nnlab.host.LoadedFamily;
import dev.nnlab.lessons.Lesson;
import dev.nnlab.lessons.LessonService;
import dev.nnlab.store.Owner;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import dev.nnlab.sweep.SpecException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's launch queue: experiment batches submitted over HTTP are validated, recorded as
 * QUEUED runs, and trained {@code concurrency} at a time by this process's worker threads, whether
 * or not anyone is watching. Bounded: at most {@code capacity} runs wait; a batch that does not fit
 * is refused whole, before anything is stored.
 *
 * <p>Stopping uses the flag {@link TrialRunner} hands to the plugin: a waiting run becomes STOPPED
 * at once and never starts; a training run stops after its current step. A run that another
 * process trains (a CLI batch on the same store) is asked through the store's stop flag, which
 * that process watches. A worker survives anything a trial does. Knows nothing of HTTP.
 */
public final class RunQueue implements AutoCloseable {
    public static final int DEFAULT_CAPACITY = 1000;
    private static final System.Logger LOG = System.getLogger("nnlab.queue");
    private static final long POLL_MILLIS = 200;

    /** What {@link #submit} stored: the experiment and the new runs, in trial order. */
    public record Launch(ExperimentRef experiment, List<Long> runIds) {}

    public record ExperimentRef(long id, String name) {}

    /** What {@link #stop} did: stopped a waiting run, or asked a training run to stop. */
    public enum StopOutcome { STOPPED, STOPPING }

    private enum State { QUEUED, STARTED, CANCELLED }

    /** A run this queue owns; its state changes only under its own lock. */
    private static final class Entry {
        final AtomicBoolean stop = new AtomicBoolean();
        /** The build the run was launched with: holding it keeps its class loader alive until the run ends. */
        final LoadedFamily family;
        State state = State.QUEUED;
        Thread worker;
        BatchEnd batchEnd;

        Entry(LoadedFamily family) {
            this.family = family;
        }
    }

    /**
     * A batch (or a successive-halving rung of it) with a lesson or further rungs: when its last run has
     * ended (trained or stopped), the next rung is recorded and queued, and after the last rung the
     * lesson is judged on every run of the batch.
     */
    private static final class BatchEnd {
        final long experimentId;
        final Lesson lesson;
        final BatchService.Batch rung;
        final List<Long> runIds;
        final java.util.concurrent.atomic.AtomicInteger open;

        BatchEnd(long experimentId, Lesson lesson, BatchService.Batch rung, List<Long> runIds) {
            this.experimentId = experimentId;
            this.lesson = lesson;
            this.rung = rung;
            this.runIds = runIds;
            this.open = new java.util.concurrent.atomic.AtomicInteger(rung.runIds().size());
        }
    }

    /**
     * How long a training run has to stop on its own after a stop request before its thread is
     * interrupted (for a plugin that never looks at {@code stopRequested}, e.g. one stuck waiting).
     */
    static final long STOP_GRACE_MILLIS = 5_000;

    private final ScheduledExecutorService interrupter = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("nnlab-stop-interrupter").unstarted(r));

    private final Store store;
    private final BatchService batches;
    private final LessonService lessons;
    private final TrialExecutor executor;
    private final ArrayBlockingQueue<Long> pending;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final TrialListener log = new QueueLog(LOG);
    private volatile boolean closed;

    public RunQueue(Workbench wb, int concurrency, int capacity) {
        this(wb, concurrency, capacity, new InProcessTrialExecutor(wb.store(), wb.plugins(), wb.data(), concurrency));
    }

    /** A queue whose runs train on {@code executor} (closed with the queue), {@code concurrency} at a time. */
    public RunQueue(Workbench wb, int concurrency, int capacity, TrialExecutor executor) {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency);
        this.store = wb.store();
        this.batches = wb.batches();
        this.lessons = wb.lessons();
        this.pending = new ArrayBlockingQueue<>(capacity);
        this.executor = executor;
        for (int i = 0; i < concurrency; i++) {
            workers.add(Thread.ofPlatform().daemon().name("nnlab-run-queue-" + i).start(this::work));
        }
    }

    /**
     * Validates {@code json} completely (nothing is stored if it is wrong), records the experiment
     * and its QUEUED runs, and queues them.
     *
     * @throws SpecException        naming the JSON path of the first problem
     * @throws RunConflictException when the batch does not fit in the queue, or the queue is closed
     */
    public Launch submit(String source, String json) {
        BatchService.Plan plan = batches.plan(source, json);
        synchronized (this) {
            if (closed) throw new RunConflictException("the server is shutting down; it accepts no new runs");
            int free = pending.remainingCapacity();
            if (plan.trials().size() > free) {
                throw new RunConflictException("the run queue has room for " + free + " more run(s); this batch has "
                        + plan.trials().size() + ". Wait for queued runs to finish, or submit a smaller batch");
            }
            BatchService.Batch batch;
            try {
                batch = batches.record(source, plan);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load dataset " + plan.spec().dataset(), e);
            }
            Lesson lesson = plan.lesson();
            BatchEnd end = lesson == null && plan.options().halving() == null ? null
                    : new BatchEnd(batch.experiment().id(), lesson, batch, batch.runIds());
            enqueue(batch, end);
            return new Launch(new ExperimentRef(batch.experiment().id(), batch.experiment().name()), batch.runIds());
        }
    }

    /**
     * Stops a run: one of this queue at once (waiting) or after its current step (training); one of
     * another process through the store's stop flag, after that process's next look at it.
     *
     * @throws UnknownRunException  when there is no such run
     * @throws RunConflictException when the run already ended
     */
    public StopOutcome stop(long runId) {
        Run run = store.runs().get(runId).orElseThrow(() -> new UnknownRunException(runId));
        Entry e = entries.get(runId);
        if (e != null) {
            synchronized (e) {
                if (e.state == State.QUEUED) {
                    e.state = State.CANCELLED;
                    store.runs().finish(runId, RunStatus.STOPPED, "stopped before it started");
                    return StopOutcome.STOPPED;
                }
                if (e.state == State.STARTED) {
                    e.stop.set(true);
                    interruptLater(runId, e);
                    return StopOutcome.STOPPING;
                }
            }
            run = store.runs().get(runId).orElseThrow(() -> new UnknownRunException(runId));
        }
        if (run.status().isTerminal()) throw new RunConflictException("run " + runId + " already ended: " + run.status());
        // Another process trains it (or will): ask through the store; it stops after its current step.
        if (!store.runs().requestStop(runId)) {
            Run now = store.runs().get(runId).orElseThrow(() -> new UnknownRunException(runId));
            throw new RunConflictException("run " + runId + " already ended: " + now.status());
        }
        return StopOutcome.STOPPING;
    }

    /**
     * Deletes a run and everything recorded for it; a run waiting in this queue is taken out first.
     *
     * @throws UnknownRunException  when there is no such run
     * @throws RunConflictException when the run is training (stop it first) or another process owns it
     */
    public void delete(long runId) {
        Run run = store.runs().get(runId).orElseThrow(() -> new UnknownRunException(runId));
        Entry e = entries.get(runId);
        if (e != null) {
            synchronized (e) {
                if (e.state == State.STARTED) {
                    throw new RunConflictException("run " + runId + " is RUNNING; stop it first, then delete it");
                }
                e.state = State.CANCELLED;
            }
        } else if (!run.status().isTerminal()) {
            throw new RunConflictException("run " + runId + " is " + run.status() + " in " + describe(run.owner())
                    + "; stop it there first, then delete it");
        }
        store.runs().delete(runId);
    }

    /** Runs waiting for a worker. */
    public int queued() {
        return pending.size();
    }

    private void work() {
        while (!closed) {
            Long id;
            try {
                id = pending.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                continue;
            }
            if (id == null) continue;
            Entry e = entries.get(id);
            if (e == null) continue;
            synchronized (e) {
                if (e.state != State.QUEUED) {
                    entries.remove(id);
                    ended(e);
                    continue;
                }
                e.state = State.STARTED;
                e.worker = Thread.currentThread();
            }
            try {
                executor.run(id, e.family, e.stop, log);
            } catch (Throwable t) {
                // TrialRunner already turns a plugin's failure into a FAILED run; this is the host
                // failing around it (the database gone, the run deleted by another process).
                LOG.log(System.Logger.Level.WARNING, "run " + id + " could not be trained: " + t);
                failQuietly(id, t);
            } finally {
                synchronized (e) {
                    e.state = State.CANCELLED;
                    e.worker = null;
                }
                entries.remove(id);
                Thread.interrupted(); // a late interrupt meant for the finished run
                ended(e);
            }
        }
    }

    /** Interrupts the run's thread if it is still training it after the grace period. */
    private void interruptLater(long runId, Entry e) {
        interrupter.schedule(() -> {
            synchronized (e) {
                if (e.state == State.STARTED && e.worker != null && entries.get(runId) == e) {
                    LOG.log(System.Logger.Level.WARNING, "run " + runId + " did not stop within " + STOP_GRACE_MILLIS
                            + " ms of being asked; interrupting its thread");
                    e.worker.interrupt();
                }
            }
        }, STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void enqueue(BatchService.Batch batch, BatchEnd end) {
        for (long id : batch.runIds()) {
            Entry e = new Entry(batch.plan().family());
            e.batchEnd = end;
            entries.put(id, e);
            if (!pending.offer(id)) {
                // Only a later rung can meet a full queue: its room was not reserved when the batch was submitted.
                entries.remove(id);
                store.runs().finish(id, RunStatus.STOPPED, "the run queue was full when this rung was promoted");
                ended(e);
            }
        }
    }

    /** One run of a batch has ended; after the last, the next rung is queued, or the batch's lesson gets its verdict. */
    private void ended(Entry e) {
        BatchEnd end = e.batchEnd;
        if (end == null || end.open.decrementAndGet() != 0 || closed) return;
        try {
            BatchService.Promotion p = batches.promote(end.rung);
            if (p != null) {
                LOG.log(System.Logger.Level.INFO, "experiment " + end.experimentId + ": " + p.summary());
                if (p.next() != null) {
                    List<Long> all = new ArrayList<>(end.runIds);
                    all.addAll(p.next().runIds());
                    synchronized (this) {
                        if (!closed) {
                            enqueue(p.next(), new BatchEnd(end.experimentId, end.lesson, p.next(), List.copyOf(all)));
                            return;
                        }
                    }
                    for (long id : p.next().runIds()) store.runs().finish(id, RunStatus.STOPPED, "the server shut down before this rung started");
                    return;
                }
            }
        } catch (RuntimeException t) {
            LOG.log(System.Logger.Level.WARNING, "the next rung of experiment " + end.experimentId + " could not be planned: " + t);
        }
        if (end.lesson == null) return;
        try {
            var v = lessons.evaluate(end.experimentId, end.lesson, end.runIds);
            LOG.log(System.Logger.Level.INFO, "lesson of experiment " + end.experimentId + ": " + v.verdict());
        } catch (RuntimeException t) {
            LOG.log(System.Logger.Level.WARNING, "the lesson of experiment " + end.experimentId + " could not be judged: " + t);
        }
    }

    private void failQuietly(long id, Throwable t) {
        try {
            store.runs().finish(id, RunStatus.FAILED, TrialRunner.describe(t));
        } catch (Throwable ignored) {
            // The run is gone or already ended: nothing left to record.
        }
    }

    private static String describe(Owner owner) {
        return owner.host() == null ? "another process" : "process " + owner.pid() + " on " + owner.host();
    }

    /**
     * Refuses new batches, stops the waiting runs (STOPPED), asks the training ones to stop after
     * their current step, and waits up to {@code 30 s} for them to record how they ended.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        for (Map.Entry<Long, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            synchronized (e) {
                if (e.state == State.QUEUED) {
                    e.state = State.CANCELLED;
                    try {
                        store.runs().finish(me.getKey(), RunStatus.STOPPED, "the server shut down before this run started");
                    } catch (RuntimeException ignored) {
                        // Deleted or ended meanwhile.
                    }
                } else {
                    e.stop.set(true);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread w : workers) {
            try {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        interrupter.shutdownNow();
        executor.close();
    }
}
