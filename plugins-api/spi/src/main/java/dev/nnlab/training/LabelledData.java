package dev.nnlab.training;

import dev.nnlab.tensor.Tensor;

/**
 * Features {@code (N, ...)} with one class label per row: what the supervised loop consumes.
 * Either part of a split may be empty ({@code N = 0}). {@code pixelCodes} is null or the features as
 * {@link dev.nnlab.kernels.PixelBytes} codes (see {@link dev.nnlab.data.Dataset#withPixelCodes()}), which
 * {@link MiniBatches} then gathers batches from.
 *
 * <p>Stability: stable for plugin authors.
 */
public record LabelledData(Tensor features, int[] labels, byte[] pixelCodes) {
    public LabelledData {
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException(features.rows() + " feature rows but " + labels.length + " labels");
        }
        if (pixelCodes != null && pixelCodes.length != features.size()) {
            throw new IllegalArgumentException(pixelCodes.length + " pixel codes for " + features.size() + " features");
        }
    }

    public LabelledData(Tensor features, int[] labels) { this(features, labels, null); }

    public int size() { return labels.length; }
}
