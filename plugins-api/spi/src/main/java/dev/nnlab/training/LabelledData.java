package dev.nnlab.training;

import dev.nnlab.tensor.Tensor;

/**
 * Features {@code (N, ...)} with one class label per row: what the supervised loop consumes.
 * Either part of a split may be empty ({@code N = 0}).
 *
 * <p>Stability: stable for plugin authors.
 */
public record LabelledData(Tensor features, int[] labels) {
    public LabelledData {
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException(features.rows() + " feature rows but " + labels.length + " labels");
        }
    }

    public int size() { return labels.length; }
}
