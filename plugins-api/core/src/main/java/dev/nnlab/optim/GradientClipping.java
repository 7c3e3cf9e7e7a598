package dev.nnlab.optim;

import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;

/**
 * Gradient-norm clipping (Pascanu, Mikolov and Bengio, 2013) and the norms it is built on.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /** The cap on the global gradient norm; 0 would zero every gradient. */
    public static final Range MAX_NORM = Range.above(0);

    /** The L2 norm of one entry's gradient. */
    public static float gradNorm(Parameters params, Parameters.Entry entry) {
        return (float) Math.sqrt(VectorOps.sumSquares(entry.size(), params.grads, entry.offset()));
    }

    /** The L2 norm of one entry's values (for weight-norm monitoring). */
    public static float valueNorm(Parameters params, Parameters.Entry entry) {
        return (float) Math.sqrt(VectorOps.sumSquares(entry.size(), params.values, entry.offset()));
    }

    /** The L2 norm of all trainable gradients taken together as one vector (row-sparse entries: their touched rows). */
    public static float globalGradNorm(Parameters params) {
        double sum = 0;
        for (Parameters.Entry e : params.entries()) {
            if (!e.trainable()) continue;
            Parameters.TouchedRows t = params.touchedRows(e);
            if (t == null) {
                sum += VectorOps.sumSquares(e.size(), params.grads, e.offset());
            } else {
                for (int k = 0; k < t.count(); k++) sum += VectorOps.sumSquares(t.cols(), params.grads, t.offset(t.row(k)));
            }
        }
        return (float) Math.sqrt(sum);
    }

    /**
     * Rescales all trainable gradients together so their global norm is at most {@code maxNorm},
     * as {@code torch.nn.utils.clip_grad_norm_}: direction kept, only the length capped. Unlike
     * PyTorch no 1e-6 is added to the norm, so a clipped gradient has norm {@code maxNorm} up to
     * float rounding. A non-finite norm (a diverged step) leaves the gradients as they are, for the
     * caller to see in the returned value.
     *
     * @return the global norm before clipping
     */
    public static float clipGlobalNorm(Parameters params, float maxNorm) {
        MAX_NORM.require("gradient clipping", "maxNorm", maxNorm);
        float norm = globalGradNorm(params);
        if (norm > maxNorm && Float.isFinite(norm)) {
            float scale = (float) ((double) maxNorm / norm);
            for (Parameters.Entry e : params.entries()) {
                if (!e.trainable()) continue;
                Parameters.TouchedRows t = params.touchedRows(e);
                if (t == null) {
                    VectorOps.scale(e.size(), scale, params.grads, e.offset());
                } else {
                    for (int k = 0; k < t.count(); k++) VectorOps.scale(t.cols(), scale, params.grads, t.offset(t.row(k)));
                }
            }
        }
        return norm;
    }
}
