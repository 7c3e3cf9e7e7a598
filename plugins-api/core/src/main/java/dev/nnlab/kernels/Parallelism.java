package dev.nnlab.kernels;

/**
 * How many threads the kernels may use for one large call (currently {@link Sgemm}). Defaults to
 * the number of available processors. Small calls always stay on the caller's thread: waking a
 * worker costs microseconds, more than a small GEMM takes.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Parallelism {
    private Parallelism() {}

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile WorkerPool pool;
    private static final ThreadLocal<Integer> CALLER_LIMIT = new ThreadLocal<>();

    /**
     * The number of threads a large kernel call made from the current thread is split across, >= 1:
     * the global setting, capped by {@link #limitCurrentThread} when the caller set a limit.
     */
    public static int threads() {
        Integer limit = CALLER_LIMIT.get();
        return limit == null ? threads : Math.min(threads, limit);
    }

    /**
     * Caps the threads of kernel calls made from the current thread, so that trials trained side by
     * side share the cores instead of each splitting its products across all of them.
     */
    public static void limitCurrentThread(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        CALLER_LIMIT.set(n);
    }

    /** Removes the current thread's cap. */
    public static void clearCurrentThreadLimit() {
        CALLER_LIMIT.remove();
    }

    /** Sets the thread count for subsequent calls; 1 keeps every kernel on the caller's thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        threads = n;
        WorkerPool old = pool;
        if (old != null && old.workers() != n - 1) {
            pool = null;
            old.shutdown(); // queued tasks still finish; calls in flight complete on their callers
        }
    }

    /**
     * Tasks per thread for a pass whose result does not depend on how it is cut (each value computed by one task from
     * its own inputs): more tasks than threads, claimed as threads come free, so that a thread the hypervisor slows
     * down (on a shared 2-vCPU VM one core ran ResNet's layers 20% slower than the other for minutes at a time) hands
     * its remaining tasks to the other instead of making it wait at the end of every layer. Passes that sum over the
     * batch (weight gradients) keep one part per thread: their sums are added in part order, and a finer cut would
     * change their bits.
     */
    public static final int BALANCED_TASKS_PER_THREAD = 4;

    /**
     * How many tasks a pass over {@code units} independent units (samples, channels, ranges) is cut into: one on one
     * thread, else up to {@link #BALANCED_TASKS_PER_THREAD} per thread of {@link #threads()}, at most one per unit.
     */
    public static int balancedTasks(int units) {
        int t = threads();
        return t <= 1 || units <= 1 ? 1 : Math.min(units, t * BALANCED_TASKS_PER_THREAD);
    }

    /**
     * Runs {@code task.accept(t)} for every t in [0, tasks) on up to {@link #threads()} threads (the caller
     * included) and returns when all have finished. Kernels called inside a task stay on that task's thread:
     * the tasks are the parallelism (a layer splitting its batch, each part with its own buffers).
     */
    public static void forEachTask(int tasks, java.util.function.IntConsumer task) {
        if (tasks <= 1 || threads() <= 1 || WorkerPool.onWorkerThread()) {
            for (int t = 0; t < tasks; t++) task.accept(t);
            return;
        }
        Integer previous = CALLER_LIMIT.get();
        CALLER_LIMIT.set(1);
        try {
            pool().invokeAll(tasks, task);
        } finally {
            if (previous == null) CALLER_LIMIT.remove(); else CALLER_LIMIT.set(previous);
        }
    }

    /** A task of {@link #forEachClaimed}: part {@code task}, run by the call's thread number {@code slot}. */
    @FunctionalInterface
    public interface SlotTask {
        void run(int task, int slot);
    }

    /** How many slots {@link #forEachClaimed} of {@code tasks} tasks may use from the current thread: one per thread that can run a task. */
    public static int slots(int tasks) {
        return tasks <= 1 || WorkerPool.onWorkerThread() ? 1 : Math.max(1, Math.min(threads(), tasks));
    }

    /**
     * Runs {@code task.run(t, slot)} for every t in [0, tasks) on up to {@link #threads()} threads, each thread
     * claiming the next task when it finishes one, so a thread the scheduler holds back leaves its share to the
     * others instead of making them wait; returns when all have finished. {@code slot}, in [0, {@link #slots}), is the
     * running thread's number within this call: scratch space indexed by it is never used by two tasks at once. A
     * result that must not depend on scheduling is kept per task and combined in task order afterwards. Kernels
     * called inside a task stay on that task's thread, as in {@link #forEachTask}.
     */
    public static void forEachClaimed(int tasks, SlotTask task) {
        int threads = threads();
        if (tasks <= 1 || threads <= 1 || WorkerPool.onWorkerThread()) {
            for (int t = 0; t < tasks; t++) task.run(t, 0);
            return;
        }
        Integer previous = CALLER_LIMIT.get();
        CALLER_LIMIT.set(1);
        try {
            pool().invokeAll(tasks, threads, task);
        } finally {
            if (previous == null) CALLER_LIMIT.remove(); else CALLER_LIMIT.set(previous);
        }
    }

    /** The pool for {@code threads() - 1} helpers (the caller is the last thread), created on first use. */
    static WorkerPool pool() {
        WorkerPool p = pool;
        if (p != null) return p;
        synchronized (Parallelism.class) {
            if (pool == null) pool = new WorkerPool(Math.max(1, threads - 1));
            return pool;
        }
    }
}
