package dev.nnlab.kernels;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A small fixed pool of daemon threads that splits one kernel call into tasks. The calling thread
 * always works too and claims tasks from the same counter, so a call completes even when every
 * worker is busy with another caller's tasks (no deadlock, no idle caller), and a kernel called
 * from a worker thread runs inline instead of queueing behind itself.
 *
 * <p>Both sides of a hand-off spin briefly before they block, as OpenMP runtimes do: a small network's
 * step (W2: 784-256-256-10 at batch 64) makes about seven split calls a millisecond, each worth tens
 * of microseconds, and waking a parked thread through the kernel costs about as much, so a worker
 * that parked after every call would start each half late and the caller would mostly run both
 * halves itself. An idle worker polls for the next call for {@value #SPIN_NANOS} ns and a caller
 * whose own tasks are done polls for the others' for as long; after that both park, so an idle pool
 * costs nothing. A call allocates one job object (and the caller's lambda), no latch.
 */
final class WorkerPool {
    /** How long an idle worker, or a caller waiting for the last task, polls before it parks. */
    static final long SPIN_NANOS = 200_000;
    /**
     * For the first this many ns a poll only pauses; after that each poll yields the CPU first. On a
     * loaded machine (or a vCPU shared with another runnable thread) a thread that only spins holds the
     * core its partner may need to finish the very task it waits for, for a whole scheduler slice; a
     * yield lets that thread run, and costs a system call (under a microsecond) when nothing else is
     * runnable, against steps of tens of microseconds.
     */
    static final long PAUSE_ONLY_NANOS = 20_000;

    /** One poll of a wait that began at {@code start}: a pause early on, a yield later. */
    static void backOff(long start, long now) {
        if (now - start < PAUSE_ONLY_NANOS) Thread.onSpinWait();
        else Thread.yield();
    }

    private final int workers;
    private final ThreadPoolExecutor executor;

    /** {@code workers} helper threads; with the caller, {@code workers + 1} tasks run at once. */
    WorkerPool(int workers) {
        this.workers = workers;
        AtomicInteger ids = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(workers, workers, 0L, TimeUnit.SECONDS, new SpinningQueue(),
                r -> new WorkerThread(r, "nnlab-kernel-" + ids.incrementAndGet()));
    }

    int workers() { return workers; }

    /** True on one of the pool's threads, where a kernel must not fan out again. */
    static boolean onWorkerThread() { return Thread.currentThread() instanceof WorkerThread; }

    /** Runs {@code task.accept(t)} for every t in [0, tasks), returning when all have finished. */
    void invokeAll(int tasks, IntConsumer task) {
        invokeAll(tasks, workers + 1, (t, slot) -> task.accept(t));
    }

    /**
     * Runs {@code task.run(t, slot)} on at most {@code threads} threads (the caller included) for every t in
     * [0, tasks), returning when all have finished; slot is the index, in [0, min(tasks, threads, workers + 1)), of
     * the thread running t among this call's threads.
     */
    void invokeAll(int tasks, int threads, Parallelism.SlotTask task) {
        Job job = new Job(tasks, task, Thread.currentThread());
        int helpers = Math.min(workers, Math.min(tasks, threads) - 1);
        for (int i = 0; i < helpers; i++) {
            try {
                executor.execute(job);
            } catch (RejectedExecutionException shutDown) {
                break; // the pool was replaced by Parallelism.setThreads: the caller does the rest
            }
        }
        job.run();
        job.await();
    }

    void shutdown() { executor.shutdown(); }

    /** After {@link #shutdown}: true once every worker has ended, false if that took longer than {@code millis}. */
    boolean awaitTermination(long millis) throws InterruptedException {
        return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    private static final class WorkerThread extends Thread {
        WorkerThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    /** The executor's queue: a worker asking for its next job polls for {@link #SPIN_NANOS} before it blocks. */
    private static final class SpinningQueue extends LinkedBlockingQueue<Runnable> {
        @Override
        public Runnable take() throws InterruptedException {
            long start = System.nanoTime(), now;
            do {
                Runnable r = poll(); // reads the count only while the queue is empty: no lock taken
                if (r != null) return r;
                if (Thread.interrupted()) throw new InterruptedException(); // shutdownNow, or the pool retiring a worker
                now = System.nanoTime();
                backOff(start, now);
            } while (now - start < SPIN_NANOS);
            return super.take();
        }
    }

    private static final class Job implements Runnable {
        private static final AtomicIntegerFieldUpdater<Job> NEXT = AtomicIntegerFieldUpdater.newUpdater(Job.class, "next");
        private static final AtomicIntegerFieldUpdater<Job> SLOTS = AtomicIntegerFieldUpdater.newUpdater(Job.class, "slots");
        private static final AtomicIntegerFieldUpdater<Job> REMAINING = AtomicIntegerFieldUpdater.newUpdater(Job.class, "remaining");
        private static final AtomicReferenceFieldUpdater<Job, Throwable> FAILURE =
                AtomicReferenceFieldUpdater.newUpdater(Job.class, Throwable.class, "failure");

        private final int tasks;
        private final Parallelism.SlotTask task;
        private final Thread caller;
        private volatile int next;
        /** Slots handed out so far: one per thread that claimed a task of this job. */
        private volatile int slots;
        private volatile int remaining;
        private volatile Throwable failure;

        Job(int tasks, Parallelism.SlotTask task, Thread caller) {
            this.tasks = tasks;
            this.task = task;
            this.caller = caller;
            this.remaining = tasks;
        }

        @Override
        public void run() {
            int slot = -1;
            for (int t = NEXT.getAndIncrement(this); t < tasks; t = NEXT.getAndIncrement(this)) {
                if (slot < 0) slot = SLOTS.getAndIncrement(this);
                try {
                    task.run(t, slot);
                } catch (Throwable e) {
                    FAILURE.compareAndSet(this, null, e);
                } finally {
                    if (REMAINING.decrementAndGet(this) == 0 && Thread.currentThread() != caller) LockSupport.unpark(caller);
                }
            }
        }

        /** On the caller: returns once every task has finished; rethrows the first failure. */
        void await() {
            long start = System.nanoTime(), now;
            while (remaining > 0 && (now = System.nanoTime()) - start < SPIN_NANOS) backOff(start, now);
            boolean interrupted = false;
            while (remaining > 0) {
                LockSupport.park(this);
                // Other tasks still write into the caller's arrays: wait them out, and keep the interrupt
                // for later (a set flag would make park return at once, a busy loop).
                if (Thread.interrupted()) interrupted = true;
            }
            if (interrupted) Thread.currentThread().interrupt();
            Throwable e = failure;
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException("kernel task failed", e);
        }
    }
}
