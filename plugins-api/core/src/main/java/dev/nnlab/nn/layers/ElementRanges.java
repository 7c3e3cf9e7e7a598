package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;

/**
 * Splits an element-wise pass over a batch into contiguous ranges, a few per kernel thread
 * ({@link Parallelism#balancedTasks}), claimed as threads come free. The cuts fall on multiples
 * of {@value #CUT_ALIGN} floats, so every value goes through the same vector or scalar code as in one pass and the
 * output is the same bits whatever the thread count.
 */
final class ElementRanges {
    private ElementRanges() {}

    /** Below this many values a pass stays on the caller's thread: waking a worker costs more. */
    static final int PARALLEL_MIN_VALUES = 1 << 15;
    /** Ranges start at multiples of this many floats: a whole number of vectors at every SIMD width. */
    static final int CUT_ALIGN = 64;

    /** How many ranges a pass over {@code values} floats runs as. */
    static int parts(int values) {
        return values < PARALLEL_MIN_VALUES ? 1 : Parallelism.balancedTasks(values / CUT_ALIGN);
    }

    /** Where range t of {@code parts} starts: a multiple of {@link #CUT_ALIGN}, the last range ending at total. */
    static int cut(int total, int parts, int t) {
        return t == parts ? total : (int) ((long) total * t / parts) / CUT_ALIGN * CUT_ALIGN;
    }

    /** A pass over [from, to) of the values. */
    interface Range {
        void run(int from, int to);
    }

    /** Runs {@code pass} over [0, total) in {@link #parts} ranges, in parallel when there are several. */
    static void run(int total, Range pass) {
        int parts = parts(total);
        if (parts == 1) {
            pass.run(0, total);
            return;
        }
        Parallelism.forEachTask(parts, t -> pass.run(cut(total, parts, t), cut(total, parts, t + 1)));
    }
}
