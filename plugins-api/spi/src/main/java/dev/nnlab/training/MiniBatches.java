package dev.nnlab.training;

import dev.nnlab.kernels.ParallelParts;
import dev.nnlab.kernels.PixelBytes;
import dev.nnlab.tensor.Rng;

import dev.nnlab.tensor.Tensor;

/**
 * Splits a data set of {@code N} samples into mini-batches of {@code batchSize}, in an order that is
 * reshuffled every epoch, and gathers each batch's rows into buffers allocated once.
 *
 * <p>Features are {@code (N, F...)} (any per-sample shape), labels are {@code int[N]} class indices
 * or {@code null}. A batch is {@code (B, F...)} with {@code B = batchSize}, except the last one of an
 * epoch, which holds the remainder unless {@code dropLast} is set. The full-size and the remainder
 * batch each have their own buffers, sized exactly, so {@link #features()} and {@link #labels()} are
 * always as long as the batch and nothing is allocated per batch.
 *
 * <pre>{@code
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batches.shuffle(epoch);
 *     for (int b = 0; b < batches.batchCount(); b++) {
 *         batches.load(b);
 *         model.forward(batches.features(), true); ... loss.of(batches.labels()) ...
 *     }
 * }
 * }</pre>
 *
 * <p>The order of epoch {@code e} depends only on the seed and {@code e}, so a run resumed from a
 * checkpoint at epoch {@code e} sees exactly the batches the uninterrupted run would have seen.
 *
 * <p>Given the features' pixel codes ({@link dev.nnlab.data.Dataset#withPixelCodes()}), batches are decoded
 * from them instead of copied from the floats: the same bits from a quarter of the memory traffic.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class MiniBatches {
    private final Tensor data;
    /** The features as pixel codes, or null: then rows are copied from {@link #data}. */
    private final byte[] codes;
    private final int[] dataLabels;
    private final int batchSize;
    private final int batchCount;
    private final int rowSize;
    private final Rng rng;
    private final int[] order;
    private final Tensor fullFeatures;
    private final int[] fullLabels;
    private final Tensor lastFeatures;
    private final int[] lastLabels;
    private Tensor features;
    private int[] labels;

    /**
     * @param features (N, F...) samples, read (not copied) on every {@link #load}
     * @param labels   N class indices, or null for unlabelled data
     * @param rng      the source of the per-epoch orders; only its seed is used
     */
    public MiniBatches(Tensor features, int[] labels, int batchSize, boolean dropLast, Rng rng) {
        this(features, labels, null, batchSize, dropLast, rng);
    }

    /**
     * @param pixelCodes null, or {@code features} as {@link PixelBytes} codes (one byte per value, same order),
     *                   which the batches are then decoded from
     */
    public MiniBatches(Tensor features, int[] labels, byte[] pixelCodes, int batchSize, boolean dropLast, Rng rng) {
        if (features.rank() < 1) throw new IllegalArgumentException("features need a leading sample dimension");
        int n = features.rows();
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " samples");
        }
        if (batchSize < 1) throw new IllegalArgumentException("batchSize = " + batchSize + " must be >= 1");
        if (dropLast && batchSize > n) {
            throw new IllegalArgumentException("batchSize = " + batchSize + " with dropLast leaves no batch of " + n + " samples");
        }
        if (pixelCodes != null && pixelCodes.length != features.size()) {
            throw new IllegalArgumentException(pixelCodes.length + " pixel codes for " + features.size() + " features");
        }
        this.data = features;
        this.codes = pixelCodes;
        this.dataLabels = labels;
        this.batchSize = batchSize;
        this.rowSize = features.cols();
        this.rng = rng;
        int remainder = n % batchSize;
        this.batchCount = n / batchSize + (remainder > 0 && !dropLast ? 1 : 0);
        this.order = new int[n];
        inOrder();
        int[] shape = features.shape();
        shape[0] = Math.min(batchSize, n);
        this.fullFeatures = Tensor.zeros(shape);
        this.fullLabels = labels == null ? null : new int[shape[0]];
        if (remainder > 0 && !dropLast && n > batchSize) {
            shape[0] = remainder;
            this.lastFeatures = Tensor.zeros(shape);
            this.lastLabels = labels == null ? null : new int[remainder];
        } else {
            this.lastFeatures = fullFeatures;
            this.lastLabels = fullLabels;
        }
    }

    /** Sets the sample order of {@code epoch}: a permutation determined by the seed and the epoch alone. */
    public void shuffle(int epoch) {
        inOrder();
        rng.fork(epoch).shuffle(order);
    }

    /** Uses samples in their stored order (evaluation). */
    public void inOrder() {
        for (int i = 0; i < order.length; i++) order[i] = i;
    }

    /** Gathers batch {@code b} of the current order into the buffers; returns its size. */
    public int load(int b) {
        if (b < 0 || b >= batchCount) throw new IndexOutOfBoundsException("batch " + b + " of " + batchCount);
        int start = b * batchSize;
        int rows = Math.min(batchSize, order.length - start);
        boolean full = rows == fullFeatures.rows();
        features = full ? fullFeatures : lastFeatures;
        labels = full ? fullLabels : lastLabels;
        float[] dst = features.data;
        int[] y = labels;
        // The rows come from anywhere in a data set far larger than the caches: the copy waits on memory
        // (W1: 64 rows of 784 floats, a quarter of its step). Two threads keep twice as many misses in
        // flight; two pieces per thread, so a thread that starts late leaves its second piece to the other.
        int parts = ParallelParts.parts((long) rows * rowSize, COPY_GRAIN);
        if (parts <= 1) {
            gatherRows(start, 0, rows, dst, y);
        } else {
            int pieces = parts * 2;
            ParallelParts.run(pieces, p -> gatherRows(start, rows * p / pieces, rows * (p + 1) / pieces, dst, y));
        }
        return rows;
    }

    /** True when batches are decoded from pixel codes rather than copied from the floats. */
    public boolean fromCodes() { return codes != null; }

    private void gatherRows(int start, int from, int to, float[] dst, int[] y) {
        if (codes != null) decodeRows(start, from, to, dst, y);
        else copyRows(start, from, to, dst, y);
    }

    /** Floats a batch must hold per thread beyond the first before its copy is split. */
    static final long COPY_GRAIN = 1 << 14;

    private void copyRows(int start, int from, int to, float[] dst, int[] y) {
        touchRows(start, from, to);
        for (int r = from; r < to; r++) {
            int sample = order[start + r];
            System.arraycopy(data.data, data.offset + sample * rowSize, dst, r * rowSize, rowSize);
            if (y != null) y[r] = dataLabels[sample];
        }
    }

    /** As {@link #copyRows}, from one byte per value: the touching loads read one byte per cache line. */
    private void decodeRows(int start, int from, int to, float[] dst, int[] y) {
        byte[] src = codes;
        int bits = 0;
        for (int r = from; r < to; r++) {
            int o = order[start + r] * rowSize;
            for (int c = 0; c < rowSize; c += LINE_BYTES) bits |= src[o + c];
            bits |= src[o + rowSize - 1];
        }
        touched = bits;
        for (int r = from; r < to; r++) {
            int sample = order[start + r];
            PixelBytes.decode(rowSize, src, sample * rowSize, dst, r * rowSize);
            if (y != null) y[r] = dataLabels[sample];
        }
    }

    /**
     * Loads one float from every cache line of the rows before copying them. A row copy starts with a
     * miss the hardware prefetcher has not seen coming, and each row's misses queue behind the last
     * row's; independent loads over all the rows keep many misses in flight at once, and the copy then
     * reads the lines from cache (W1: 64 shuffled rows of 3 KB).
     */
    private void touchRows(int start, int from, int to) {
        if (rowSize == 0) return;
        float[] src = data.data;
        int bits = 0;
        for (int r = from; r < to; r++) {
            int o = data.offset + order[start + r] * rowSize;
            for (int c = 0; c < rowSize; c += LINE_FLOATS) bits |= Float.floatToRawIntBits(src[o + c]);
            bits |= Float.floatToRawIntBits(src[o + rowSize - 1]);
        }
        touched = bits;
    }

    /** Floats in a 64-byte cache line. */
    private static final int LINE_FLOATS = 16;
    private static final int LINE_BYTES = 64;
    /** Keeps the touching loads from being removed as dead code. */
    @SuppressWarnings("unused")
    private int touched;

    /** The loaded batch, {@code (B, F...)}; overwritten by the next {@link #load}. */
    public Tensor features() {
        if (features == null) throw new IllegalStateException("call load(b) first");
        return features;
    }

    /** The loaded batch's labels, exactly B long; null for unlabelled data. */
    public int[] labels() {
        if (features == null) throw new IllegalStateException("call load(b) first");
        return labels;
    }

    /** Index into the data set of row {@code r} of batch {@code b} in the current order. */
    public int sampleIndex(int b, int r) { return order[b * batchSize + r]; }

    public int batchCount() { return batchCount; }
    public int batchSize() { return batchSize; }
    public int sampleCount() { return order.length; }
}
