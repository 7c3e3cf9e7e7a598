package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.testing.GradientCheck;
import dev.nnlab.tensor.Rng;

import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Random inputs and the sum(y * R) gradient check shared by the layer tests. */
final class LayerGradients {
    private LayerGradients() {}

    /** Uniform in [lo, hi). */
    static Tensor uniform(long seed, float lo, float hi, int... shape) {
        Rng rng = new Rng(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) t.data[i] = rng.uniform(lo, hi);
        return t;
    }

    /** Random signs with |v| in [margin, margin + 2): no value within {@code margin} of a kink at 0. */
    static Tensor awayFromZero(long seed, float margin, int... shape) {
        Rng rng = new Rng(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            float magnitude = margin + 2f * rng.nextFloat();
            t.data[i] = rng.nextFloat() < 0.5f ? -magnitude : magnitude;
        }
        return t;
    }

    /** A one-layer network, initialised: the cheapest way to build and bind a layer. */
    static Sequential single(int[] inputShape, Layer layer, long seed) {
        return new Sequential(inputShape, layer).initialize(new Rng(seed));
    }

    /**
     * Checks dL/dx and dL/dp for every trainable parameter p of {@code net} at {@code x}, with
     * L = sum(y * R) for a random R, against central differences of training-mode forwards. Also
     * requires every checked gradient to be non-trivial, so a layer that ignores its input or a
     * parameter cannot pass with 0 == 0.
     */
    static void check(Sequential net, Tensor x, long seed) {
        Tensor y = net.forward(x, true);
        float[] r = uniform(seed ^ 0x5DEECE66DL, -1f, 1f, y.size()).data;
        Parameters params = net.params();
        params.zeroGrad();
        Tensor dx = net.backward(Tensor.of(r.clone(), y.shape())).copy();
        assertThat(dx.shape()).as("dx shape").isEqualTo(x.shape());
        DoubleSupplier loss = () -> GradientCheck.weightedSum(net.forward(x, true), r);
        assertNonTrivial("dL/dx", dx);
        GradientCheck.check("dL/dx", loss, x, dx);
        for (Parameters.Entry e : params.entries()) {
            if (!e.trainable()) continue;
            Tensor grad = params.grad(e).copy();
            assertNonTrivial("dL/d" + e.name(), grad);
            GradientCheck.check("dL/d" + e.name(), loss, params.value(e), grad);
        }
    }

    private static void assertNonTrivial(String what, Tensor g) {
        float max = 0;
        for (int i = 0; i < g.size(); i++) max = Math.max(max, Math.abs(g.at(i)));
        assertThat(max).as(what + " has a non-zero entry").isGreaterThan(1e-3f);
    }
}
