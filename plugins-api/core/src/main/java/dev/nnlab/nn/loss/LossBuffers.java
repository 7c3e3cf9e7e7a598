package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/** Shape checks and the reused gradient buffer shared by the losses. */
final class LossBuffers {
    private LossBuffers() {}

    /** Checks that {@code output} is {@code (N, C)} and every label lies in {@code [0, classes)}. */
    static void checkLabels(String loss, Tensor output, int[] labels, int classes) {
        checkMatrix(loss, output);
        if (labels.length != output.rows()) {
            throw new IllegalArgumentException(loss + ": " + labels.length + " labels for a batch of " + output.rows());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(loss + ": label " + labels[i] + " of sample " + i
                        + " is outside [0, " + classes + ")");
            }
        }
    }

    static void checkTarget(String loss, Tensor output, Tensor target) {
        checkMatrix(loss, output);
        if (!Arrays.equals(output.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": target shape " + Arrays.toString(target.shape())
                    + " differs from output shape " + Arrays.toString(output.shape()));
        }
    }

    private static void checkMatrix(String loss, Tensor output) {
        if (output.rank() != 2 || output.rows() == 0 || output.cols() == 0) {
            throw new IllegalArgumentException(loss + ": output must be a non-empty (N, C) matrix, got "
                    + Arrays.toString(output.shape()));
        }
    }

    /** {@code buffer} if it already has {@code output}'s shape, else a fresh zero tensor of that shape. */
    static Tensor reuse(Tensor buffer, Tensor output) {
        return buffer != null && buffer.hasShape(output.rows(), output.cols())
                ? buffer : Tensor.zeros(output.rows(), output.cols());
    }

    static Tensor requireForward(String loss, Tensor grad) {
        if (grad == null) throw new IllegalStateException(loss + ": backward() called before forward()");
        return grad;
    }
}
