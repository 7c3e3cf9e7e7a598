package dev.nnlab.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor: a row-major, contiguous view of {@code size()} floats starting at
 * {@code offset} in {@code data}.
 *
 * <p>Views share the backing array, which is how parameters, gradients and optimizer state live
 * in one flat buffer (llm.c style) while each layer still sees shaped tensors. Hot paths read
 * {@link #data} and {@link #offset} directly and hand them to the kernels; {@link #get}/{@link #set}
 * are for tests and tooling.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Tensor {
    public final float[] data;
    public final int offset;
    private final int[] shape;
    private final int size;

    private Tensor(float[] data, int offset, int[] shape) {
        this.shape = shape.clone();
        this.size = sizeOf(shape);
        if (offset < 0 || offset + size > data.length) {
            throw new IllegalArgumentException("view [" + offset + ", " + (offset + size) + ") of shape "
                    + Arrays.toString(shape) + " does not fit in an array of " + data.length);
        }
        this.data = data;
        this.offset = offset;
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[sizeOf(shape)], 0, shape);
    }

    /** Wraps {@code data} itself (no copy) as a tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        if (data.length != sizeOf(shape)) {
            throw new IllegalArgumentException(data.length + " values cannot have shape " + Arrays.toString(shape));
        }
        return new Tensor(data, 0, shape);
    }

    /** A view of {@code data} from {@code offset}; no copy. */
    public static Tensor view(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, shape);
    }

    public static int sizeOf(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("too large: " + Arrays.toString(shape));
        return (int) n;
    }

    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int axis) { return shape[axis < 0 ? shape.length + axis : axis]; }
    public int size() { return size; }

    /** The leading dimension, the batch size N for an activation tensor. */
    public int rows() { return shape.length == 0 ? 1 : shape[0]; }

    /** Elements per leading index: the product of every dimension but the first. */
    public int cols() { return shape.length == 0 || shape[0] == 0 ? 0 : size / shape[0]; }

    public boolean hasShape(int... s) { return Arrays.equals(shape, s); }

    /** Same data, another shape of the same size. */
    public Tensor reshape(int... newShape) {
        if (sizeOf(newShape) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(data, offset, newShape);
    }

    /** Rows [from, to) of the leading dimension, sharing data. */
    public Tensor slice(int from, int to) {
        if (from < 0 || to > rows() || from > to) throw new IndexOutOfBoundsException(from + ".." + to + " of " + rows());
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(data, offset + from * cols(), s);
    }

    public float get(int... index) { return data[offset + flatIndex(index)]; }
    public void set(float value, int... index) { data[offset + flatIndex(index)] = value; }

    /** Element {@code i} in row-major order. */
    public float at(int i) { return data[offset + i]; }

    public void fill(float value) { Arrays.fill(data, offset, offset + size, value); }

    public void copyFrom(Tensor src) {
        if (src.size != size) throw new IllegalArgumentException("size " + src.size + " != " + size);
        System.arraycopy(src.data, src.offset, data, offset, size);
    }

    /** A fresh, independent copy of this tensor's elements. */
    public float[] toArray() { return Arrays.copyOfRange(data, offset, offset + size); }

    public Tensor copy() { return new Tensor(toArray(), 0, shape); }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index rank " + index.length + " != tensor rank " + shape.length);
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside " + Arrays.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
