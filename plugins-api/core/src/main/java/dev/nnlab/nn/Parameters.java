package dev.nnlab.nn;

import dev.nnlab.kernels.ParallelParts;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every parameter of a model in one flat {@code values} array, with gradients in a parallel
 * {@code grads} array of the same layout (llm.c style). A name -> (offset, shape) table carves
 * the arrays into named views; the optimizer, the checkpoint, the statistics and the UI all use
 * that one table.
 *
 * <p>Non-trainable state that must survive a checkpoint (batch norm's running mean and variance)
 * lives here too, marked {@code trainable = false}: optimizers skip it and its gradient stays 0.
 *
 * <p>A <em>row-sparse</em> entry ({@link Builder#addRowSparse}, an embedding table) keeps the same
 * dense layout, but a step writes only a few of its rows: the layer records them in the entry's
 * {@link TouchedRows}, and {@link #zeroGrad}, the optimizers and gradient clipping visit those rows
 * only, so a step costs the rows a batch looks up, not the vocabulary. Rows not touched keep a zero
 * gradient (the invariant that lets them be skipped).
 *
 * <p>Several threads can train one set of values (Hogwild, Niu et al. 2011): {@link #sharingValues}
 * gives another view of the same {@code values} with its own {@code grads}.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Parameters {

    /** One named view of the flat arrays. */
    public record Entry(String name, int offset, int[] shape, boolean trainable) {
        public int size() { return Tensor.sizeOf(shape); }

        /** The layer part of a dotted name: {@code "dense0"} for {@code "dense0.weight"}. */
        public String layer() {
            int dot = name.lastIndexOf('.');
            return dot < 0 ? name : name.substring(0, dot);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + "@" + offset + (trainable ? "" : " (buffer)");
        }
    }

    /** Collects entries and their offsets while a model is being built; {@link #build()} allocates. */
    public static final class Builder {
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final Set<String> rowSparse = new HashSet<>();
        private int size;

        public Entry add(String name, int... shape) {
            return add(name, true, shape);
        }

        public Entry add(String name, boolean trainable, int... shape) {
            if (entries.containsKey(name)) throw new IllegalArgumentException("duplicate parameter name " + name);
            Entry e = new Entry(name, size, shape.clone(), trainable);
            size = Math.addExact(size, e.size());
            entries.put(name, e);
            return e;
        }

        /**
         * A trainable {@code (rows, cols)} table whose gradient is row-sparse: each step touches only
         * the rows a batch looks up. The layer must call {@link TouchedRows#touch} for every row it
         * adds gradient to.
         */
        public Entry addRowSparse(String name, int rows, int cols) {
            Entry e = add(name, true, rows, cols);
            rowSparse.add(name);
            return e;
        }

        public Parameters build() {
            return new Parameters(new ArrayList<>(entries.values()), new float[size], rowSparse);
        }
    }

    public final float[] values;
    public final float[] grads;
    private final List<Entry> entries;
    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private final Map<String, TouchedRows> touched = new LinkedHashMap<>();
    /** {offset, length} pairs covering everything but the row-sparse entries. */
    private final int[] denseRanges;

    private Parameters(List<Entry> entries, float[] values, Set<String> rowSparse) {
        this.values = values;
        this.grads = new float[values.length];
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) {
            byName.put(e.name(), e);
            if (rowSparse.contains(e.name())) touched.put(e.name(), new TouchedRows(e));
        }
        List<int[]> dense = new ArrayList<>();
        int start = 0;
        for (Entry e : entries) {
            if (!touched.containsKey(e.name())) continue;
            if (e.offset() > start) dense.add(new int[] {start, e.offset() - start});
            start = e.offset() + e.size();
        }
        if (values.length > start) dense.add(new int[] {start, values.length - start});
        this.denseRanges = dense.stream().flatMapToInt(Arrays::stream).toArray();
    }

    /**
     * Another view of the same {@code values} with its own zeroed {@code grads} and touched rows: what a
     * second thread trains through while the first goes on. Writes by either are seen by both, without
     * locks (Hogwild); each keeps its gradients to itself.
     */
    public Parameters sharingValues() {
        return new Parameters(entries, values, touched.keySet());
    }

    /** True when {@code other} has the same names, shapes, offsets and kinds of entry: a model built the same way. */
    public boolean sameLayout(Parameters other) {
        if (other.entries.size() != entries.size() || !other.touched.keySet().equals(touched.keySet())) return false;
        for (int i = 0; i < entries.size(); i++) {
            Entry a = entries.get(i), b = other.entries.get(i);
            if (!a.name().equals(b.name()) || a.offset() != b.offset() || !Arrays.equals(a.shape(), b.shape())
                    || a.trainable() != b.trainable()) return false;
        }
        return true;
    }

    /** The rows of a row-sparse entry that hold gradient since the last {@link #zeroGrad}; null for a dense entry. */
    public TouchedRows touchedRows(Entry e) { return touched.get(e.name()); }

    /**
     * The rows of one row-sparse entry that have received gradient since the last {@link #zeroGrad},
     * each listed once, in the order first touched. Not thread-safe: one per {@link Parameters} view.
     */
    public static final class TouchedRows {
        private final Entry entry;
        private final int cols;
        private final boolean[] marked;
        private final int[] rows;
        private int count;

        TouchedRows(Entry entry) {
            this.entry = entry;
            this.cols = entry.shape()[1];
            this.marked = new boolean[entry.shape()[0]];
            this.rows = new int[entry.shape()[0]];
        }

        /** Records that {@code row} receives gradient in this step. */
        public void touch(int row) {
            if (!marked[row]) {
                marked[row] = true;
                rows[count++] = row;
            }
        }

        public int count() { return count; }

        /** The {@code k}-th touched row, {@code 0 <= k < count()}. */
        public int row(int k) { return rows[k]; }

        public int cols() { return cols; }

        /** Offset of {@code row} in the flat arrays. */
        public int offset(int row) { return entry.offset() + row * cols; }

        private void zeroAndClear(float[] grads) {
            for (int k = 0; k < count; k++) {
                Arrays.fill(grads, offset(rows[k]), offset(rows[k]) + cols, 0f);
                marked[rows[k]] = false;
            }
            count = 0;
        }
    }

    public static Builder builder() { return new Builder(); }

    public List<Entry> entries() { return entries; }

    public Entry entry(String name) {
        Entry e = byName.get(name);
        if (e == null) throw new IllegalArgumentException("no parameter named " + name + "; have " + byName.keySet());
        return e;
    }

    public Tensor value(Entry e) { return Tensor.view(values, e.offset(), e.shape()); }
    public Tensor grad(Entry e) { return Tensor.view(grads, e.offset(), e.shape()); }
    public Tensor value(String name) { return value(entry(name)); }
    public Tensor grad(String name) { return grad(entry(name)); }

    /** Total number of floats, buffers included. */
    public int size() { return values.length; }

    /** Number of trainable floats, the "parameter count" people quote. */
    public int trainableCount() {
        int n = 0;
        for (Entry e : entries) if (e.trainable()) n += e.size();
        return n;
    }

    /**
     * {@link #zeroGrad} but for the named dense entries, whose layer overwrites their gradient in its
     * next backward pass (e.g. {@link dev.nnlab.nn.layers.SequenceDense#overwriteGradients}): zeroing
     * them would only write memory the layer is about to write again.
     */
    public void zeroGradExcept(Set<String> names) {
        List<int[]> skip = new ArrayList<>();
        for (String n : names) {
            Entry e = entry(n);
            if (touched.containsKey(n)) throw new IllegalArgumentException(n + " is row-sparse; only dense entries can be left out of zeroGrad");
            skip.add(new int[] {e.offset(), e.offset() + e.size()});
        }
        skip.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] ranges = touched.isEmpty() ? new int[] {0, grads.length} : denseRanges;
        for (int r = 0; r < ranges.length; r += 2) {
            int from = ranges[r], to = ranges[r] + ranges[r + 1];
            for (int[] s : skip) {
                if (s[1] <= from || s[0] >= to) continue;
                if (s[0] > from) Arrays.fill(grads, from, s[0], 0f);
                from = Math.max(from, s[1]);
            }
            if (from < to) Arrays.fill(grads, from, to, 0f);
        }
        for (TouchedRows t : touched.values()) t.zeroAndClear(grads);
    }

    /** Gradients a thread clears beyond the first before the clearing is split. */
    static final int ZERO_GRAIN = 1 << 16;

    /**
     * Gradients accumulate in backward; this is the one explicit place they are reset. Row-sparse
     * entries are reset row by row, only where touched: a 10k x 200 table costs the rows of one batch.
     */
    public void zeroGrad() {
        if (touched.isEmpty()) {
            // On the kernel threads, in halves: the backward pass that follows writes the gradients from both
            // cores, and one core clearing them all first pulls every line over (W2: 1 MB, 8% of a step).
            int parts = ParallelParts.parts(grads.length, ZERO_GRAIN);
            ParallelParts.run(parts, p -> Arrays.fill(grads, (int) ((long) grads.length * p / parts),
                    (int) ((long) grads.length * (p + 1) / parts), 0f));
            return;
        }
        for (int r = 0; r < denseRanges.length; r += 2) Arrays.fill(grads, denseRanges[r], denseRanges[r] + denseRanges[r + 1], 0f);
        for (TouchedRows t : touched.values()) t.zeroAndClear(grads);
    }
}
