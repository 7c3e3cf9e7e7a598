package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of a model in one flat {@code values} array, with gradients in a parallel
 * {@code grads} array of the same layout (llm.c style). A name -> (offset, shape) table carves
 * the arrays into named views; the optimizer, the checkpoint, the statistics and the UI all use
 * that one table.
 *
 * <p>Non-trainable state that must survive a checkpoint (batch norm's running mean and variance)
 * lives here too, marked {@code trainable = false}: optimizers skip it and its gradient stays 0.
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

        public Parameters build() {
            return new Parameters(new ArrayList<>(entries.values()), size);
        }
    }

    public final float[] values;
    public final float[] grads;
    private final List<Entry> entries;
    private final Map<String, Entry> byName = new LinkedHashMap<>();

    private Parameters(List<Entry> entries, int size) {
        this.values = new float[size];
        this.grads = new float[size];
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) byName.put(e.name(), e);
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

    /** Gradients accumulate in backward; this is the one explicit place they are reset. */
    public void zeroGrad() { Arrays.fill(grads, 0f); }
}
