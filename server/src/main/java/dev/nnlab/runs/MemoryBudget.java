package dev.nnlab.runs;

import dev.nnlab.host.LoadedFamily;
import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.sweep.SpecException;
import dev.nnlab.sweep.Trial;

import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The heap a trial may plan to use, and the check that refuses a batch with a trial over it before
 * anything is recorded: a model whose parameters, gradients, optimizer state and one batch of
 * activations cannot fit would otherwise be recorded and fail with an OutOfMemoryError.
 *
 * <p>The limit is {@link #SHARE} of what the JVM has left ({@code maxMemory} minus the heap in
 * use): the rest is headroom for the collector, the preprocessed copies of the data and the
 * evaluation buffers that the estimate leaves out.
 */
public final class MemoryBudget {
    /** Share of the free heap one trial may plan to fill. */
    public static final double SHARE = 0.8;

    private final LongSupplier maxHeap, usedHeap;

    /** The running JVM's heap. */
    public MemoryBudget() {
        this(() -> Runtime.getRuntime().maxMemory(),
                () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
    }

    MemoryBudget(LongSupplier maxHeap, LongSupplier usedHeap) {
        this.maxHeap = maxHeap;
        this.usedHeap = usedHeap;
    }

    /** Bytes one trial may plan to use now. */
    public long limit() {
        return (long) (SHARE * Math.max(0, maxHeap.getAsLong() - usedHeap.getAsLong()));
    }

    /**
     * Asks {@code family} for every trial's estimate and throws, naming the trial, the estimate by
     * category and the limit, when one does not fit. Families that do not estimate pass.
     */
    public void check(String source, LoadedFamily family, List<Trial> trials, int[] sampleShape, int classes) {
        long limit = -1;
        for (Trial t : trials) {
            MemoryEstimate e = estimate(family, t, sampleShape, classes);
            if (e == null || !e.known()) continue;
            if (limit < 0) limit = limit();
            if (e.total() > limit) {
                long max = maxHeap.getAsLong(), used = usedHeap.getAsLong();
                throw new SpecException(source, "$.params", String.format(Locale.ROOT,
                        "trial %d (%s) needs an estimated %s of heap (%s), more than the limit of %s "
                                + "(%.0f%% of the %s this JVM has free: max heap %s, %s in use). Use smaller layers or "
                                + "batchSize, or give the JVM more heap, e.g. NNLAB_JAVA_OPTS=-Xmx%dg",
                        t.index() + 1, t.label(), MemoryEstimate.bytes(e.total()), e.describe(), MemoryEstimate.bytes(limit),
                        100 * SHARE, MemoryEstimate.bytes(Math.max(0, max - used)), MemoryEstimate.bytes(max),
                        MemoryEstimate.bytes(used), suggestedGiB(e.total() + used)));
            }
        }
    }

    /**
     * The family's estimate, or null when its code throws: a plugin's fault must not take planning
     * down, and such a trial is then checked no more than one of a family that does not estimate.
     */
    private static MemoryEstimate estimate(LoadedFamily family, Trial t, int[] sampleShape, int classes) {
        try {
            return family.family().estimateMemory(t.params(), sampleShape.clone(), classes);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            System.getLogger("dev.nnlab.runs").log(System.Logger.Level.WARNING,
                    "family " + family.id() + " failed to estimate its memory; not checked: " + e);
            return null;
        }
    }

    /** A whole number of GiB that would leave the estimate within {@link #SHARE} of the free heap. */
    private static long suggestedGiB(long needed) {
        double gib = needed / SHARE / (1L << 30);
        return Math.max(1, (long) Math.ceil(gib));
    }
}
