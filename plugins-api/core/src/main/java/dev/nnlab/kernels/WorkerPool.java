package dev.nnlab.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A small fixed pool of daemon threads that splits one kernel call into tasks. The calling thread
 * always works too and claims tasks from the same counter, so a call completes even when every
 * worker is busy with another caller's tasks (no deadlock, no idle caller), and a kernel called
 * from a worker thread runs inline instead of queueing behind itself.
 */
final class WorkerPool {
    private final int workers;
    private final ThreadPoolExecutor executor;

    /** {@code workers} helper threads; with the caller, {@code workers + 1} tasks run at once. */
    WorkerPool(int workers) {
        this.workers = workers;
        AtomicInteger ids = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(workers, workers, 0L, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> new WorkerThread(r, "nnlab-kernel-" + ids.incrementAndGet()));
    }

    int workers() { return workers; }

    /** True on one of the pool's threads, where a kernel must not fan out again. */
    static boolean onWorkerThread() { return Thread.currentThread() instanceof WorkerThread; }

    /** Runs {@code task.accept(t)} for every t in [0, tasks), returning when all have finished. */
    void invokeAll(int tasks, IntConsumer task) {
        Job job = new Job(tasks, task);
        int helpers = Math.min(workers, tasks - 1);
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

    private static final class WorkerThread extends Thread {
        WorkerThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    private static final class Job implements Runnable {
        private final int tasks;
        private final IntConsumer task;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, IntConsumer task) {
            this.tasks = tasks;
            this.task = task;
            this.done = new CountDownLatch(tasks);
        }

        @Override
        public void run() {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    task.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // other tasks still write into the caller's arrays: wait them out
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            Throwable e = failure.get();
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException("kernel task failed", e);
        }
    }
}
