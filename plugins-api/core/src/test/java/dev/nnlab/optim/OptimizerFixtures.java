package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Rng;

/** Small parameter sets for optimizer tests. */
final class OptimizerFixtures {
    private OptimizerFixtures() {}

    /** One trainable entry "w" holding {@code values}. */
    static Parameters vector(float... values) {
        Parameters.Builder b = Parameters.builder();
        b.add("w", values.length);
        Parameters p = b.build();
        System.arraycopy(values, 0, p.values, 0, values.length);
        return p;
    }

    static void setGrads(Parameters p, float... grads) {
        System.arraycopy(grads, 0, p.grads, 0, grads.length);
    }

    /**
     * "dense0.weight" (37 floats: vector lanes of every width plus a tail), a non-trainable
     * "norm1.running_mean" (3) and "dense2.bias" (5), filled with normal values.
     */
    static Parameters mixed(Rng rng) {
        Parameters.Builder b = Parameters.builder();
        b.add("dense0.weight", 37);
        b.add("norm1.running_mean", false, 3);
        b.add("dense2.bias", 5);
        Parameters p = b.build();
        for (int i = 0; i < p.size(); i++) p.values[i] = (float) rng.nextGaussian();
        return p;
    }

    /** Fresh normal gradients on trainable entries; buffers keep gradient 0 as the Parameters contract says. */
    static void randomGrads(Parameters p, Rng rng) {
        for (Parameters.Entry e : p.entries()) {
            for (int i = e.offset(); i < e.offset() + e.size(); i++) {
                p.grads[i] = e.trainable() ? (float) rng.nextGaussian() : 0f;
            }
        }
    }
}
