package dev.nnlab.kernels;

import java.util.function.IntConsumer;

/**
 * Runs a few independent parts of one call on the kernel threads ({@link Parallelism}): for loops
 * outside the matrix kernels that are large enough to split, such as an optimizer's update over every
 * parameter. The caller works too, and a call from a kernel thread runs its parts inline.
 *
 * <p>Stability: evolving.
 */
public final class ParallelParts {
    private ParallelParts() {}

    /** How many parts a loop of {@code n} elements is worth splitting into: 1 below {@code grain} elements per extra part. */
    public static int parts(long n, long grain) {
        int threads = Parallelism.threads();
        if (threads <= 1 || WorkerPool.onWorkerThread()) return 1;
        return (int) Math.max(1, Math.min(threads, n / grain));
    }

    /** Runs {@code task.accept(p)} for p in [0, parts), in parallel when there are several; returns when all are done. */
    public static void run(int parts, IntConsumer task) {
        if (parts <= 1 || WorkerPool.onWorkerThread()) {
            for (int p = 0; p < parts; p++) task.accept(p);
            return;
        }
        Parallelism.pool().invokeAll(parts, task);
    }
}
