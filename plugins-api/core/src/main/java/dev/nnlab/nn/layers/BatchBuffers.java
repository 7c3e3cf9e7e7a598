package dev.nnlab.nn.layers;

import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * The two chores every layer shares: checking that an input is {@code (N, sampleShape...)} and
 * keeping one output/gradient buffer per layer that is reallocated only when N outgrows it. A custom
 * layer uses it as the built-in ones do:
 * <pre>{@code
 * int n = BatchBuffers.batchSize(x, in, "mylayer");
 * y = BatchBuffers.reuse(y, n, out);   // the same tensor every step while the batch size stays
 * }</pre>
 *
 * <p>Stability: stable for plugin authors.
 */
public final class BatchBuffers {
    private BatchBuffers() {}

    /**
     * {@code current} when it already has N rows; a view of its first N rows when its array holds at
     * least N samples of this shape (a smaller last batch, an evaluation pass); else a fresh
     * {@code (n, sampleShape...)} tensor. So a layer's buffer grows to the largest batch it has seen and
     * never shrinks or reallocates after: a training epoch whose last batch is smaller, and the
     * evaluation passes in between, leave no buffers behind as garbage (which the JVM's heap would
     * otherwise grow to hold: a ResNet-20 at batch 128 has about 0.6 GB of them). A view keeps each
     * sample where it was in the array, so whatever a layer leaves untouched in a sample (a zero
     * channel, a padding border) stays as it was.
     */
    public static Tensor reuse(Tensor current, int n, int... sampleShape) {
        if (current != null && current.rows() == n) return current;
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        if (current != null && current.offset == 0 && current.rank() == shape.length
                && Tensor.sizeOf(sampleShape) == current.cols() && (long) n * current.cols() <= current.data.length) {
            return Tensor.view(current.data, 0, shape);
        }
        return Tensor.zeros(shape);
    }

    /** Returns N after checking that {@code x} holds {@code features} values per sample. */
    public static int batchSize(Tensor x, int features, String layer) {
        if (x.rank() < 1 || (x.rows() > 0 && x.cols() != features)) {
            throw new IllegalArgumentException(layer + " expects (N, ...) input with " + features
                    + " values per sample, got " + x);
        }
        return x.rows();
    }

    /** Checks that a backward input matches the forward output it is the gradient of. */
    public static void sameSize(Tensor dy, Tensor y, String layer) {
        if (y == null) throw new IllegalStateException(layer + ": backward called before a training forward");
        if (dy.size() != y.size()) {
            throw new IllegalArgumentException(layer + ": gradient " + dy + " does not match output "
                    + Arrays.toString(y.shape()));
        }
    }
}
