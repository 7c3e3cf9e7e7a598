package dev.nnlab.nn.layers;

import java.util.List;

/**
 * A layer that can write its parameters' gradients in its backward pass (BLAS beta = 0) instead of
 * adding to them: for a training loop that runs exactly one backward pass per step, which then leaves
 * these parameters out of {@code zeroGrad} ({@link dev.nnlab.nn.Parameters#zeroGradExcept}). Zeroing a
 * gradient only for its product to read the zeros back and add to them costs two extra trips through
 * memory: in W5 the decoder's 8 MB gradient made that 4% of the step.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public interface OverwritesGradients {
    /** With {@code true}, the next backward passes write (not add to) the gradients of {@link #parameterNames}; off by default. */
    void overwriteGradients(boolean on);

    /** The parameters whose gradients {@link #overwriteGradients} covers. */
    List<String> parameterNames();
}
