package dev.nnlab.nn;

import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.util.function.DoubleSupplier;

/**
 * Central-difference gradient checks for a float32 core, for the tests of a custom layer or loss
 * (nnlab's own layer tests use it). Needs no test library: a wrong gradient throws
 * {@link AssertionError}, which every test framework reports as a failure.
 *
 * <p>DL4J checks in double precision with eps 1e-6. nnlab computes in float32 only, where a 1e-6
 * nudge disappears in rounding, so this uses eps 1e-2..1e-3 and compares with a relative error of
 * {@code |a - n| / max(|a|, |n|)} against {@code maxRelError}, ignoring pairs whose absolute
 * difference is below {@code absFloor}. A wrong gradient is off by O(1) and still fails loudly.
 *
 * <p>Use a scalar objective that mixes every output, e.g. {@code sum(y * R)} for a fixed random R
 * ({@link #weightedSum}), so that each output's gradient is exercised with a different weight;
 * {@link #layer} does exactly that for a network.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class GradientCheck {
    public static final double EPS = 1e-2;
    public static final double MAX_REL_ERROR = 1e-2;
    public static final double ABS_FLOOR = 1e-4;

    private GradientCheck() {}

    /**
     * Compares {@code analytic[aOff + i]} with the numerical derivative of {@code loss} with respect
     * to {@code values[vOff + i]}, for i in [0, n).
     *
     * @throws AssertionError naming {@code what}, the index and both values at the first mismatch
     */
    public static void check(String what, DoubleSupplier loss, float[] values, int vOff,
                             float[] analytic, int aOff, int n) {
        check(what, loss, values, vOff, analytic, aOff, n, EPS, MAX_REL_ERROR, ABS_FLOOR);
    }

    public static void check(String what, DoubleSupplier loss, float[] values, int vOff,
                             float[] analytic, int aOff, int n, double eps, double maxRel, double absFloor) {
        for (int i = 0; i < n; i++) {
            float orig = values[vOff + i];
            values[vOff + i] = (float) (orig + eps);
            double plus = loss.getAsDouble();
            values[vOff + i] = (float) (orig - eps);
            double minus = loss.getAsDouble();
            values[vOff + i] = orig;
            // Divide by the step actually taken after float rounding, not the nominal 2*eps.
            double step = (double) (float) (orig + eps) - (double) (float) (orig - eps);
            double numeric = (plus - minus) / step;
            double a = analytic[aOff + i];
            double diff = Math.abs(a - numeric);
            if (diff < absFloor) continue;
            double rel = diff / Math.max(Math.abs(a), Math.abs(numeric));
            if (rel > maxRel || Double.isNaN(rel)) {
                throw new AssertionError(String.format("%s: gradient[%d] analytic %.6g vs numeric %.6g (relative error %.3g > %.3g)",
                        what, i, a, numeric, rel, maxRel));
            }
        }
    }

    /** Checks a whole tensor's gradient. */
    public static void check(String what, DoubleSupplier loss, Tensor values, Tensor analytic) {
        check(what, loss, values.data, values.offset, analytic.data, analytic.offset, values.size());
    }

    /** {@code sum_i y[i] * r[i]} in double: the scalar objective for checking a layer's backward with dy = r. */
    public static double weightedSum(Tensor y, float[] r) {
        double s = 0;
        for (int i = 0; i < y.size(); i++) s += (double) y.at(i) * r[i];
        return s;
    }

    /**
     * Checks dL/dx and dL/dp for every trainable parameter p of an initialised {@code net} at
     * {@code x}, with L = sum(y * R) for a random R (from {@code seed}), against central differences
     * of training-mode forwards. Every checked gradient must also be non-trivial, so a layer that
     * ignores its input or a parameter cannot pass with 0 == 0. For one custom layer:
     * {@code GradientCheck.layer(new Sequential(new int[] {4}, myLayer).initialize(new Rng(1)), x, 7)}.
     *
     * @throws AssertionError at the first gradient that is wrong, zero, or of the wrong shape
     */
    public static void layer(Sequential net, Tensor x, long seed) {
        Tensor y = net.forward(x, true);
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        float[] r = new float[y.size()];
        for (int i = 0; i < r.length; i++) r[i] = rng.uniform(-1f, 1f);
        Parameters params = net.params();
        params.zeroGrad();
        Tensor dx = net.backward(Tensor.of(r.clone(), y.shape())).copy();
        if (!java.util.Arrays.equals(dx.shape(), x.shape())) {
            throw new AssertionError("dx has shape " + java.util.Arrays.toString(dx.shape()) + ", x has "
                    + java.util.Arrays.toString(x.shape()));
        }
        DoubleSupplier loss = () -> weightedSum(net.forward(x, true), r);
        nonTrivial("dL/dx", dx);
        check("dL/dx", loss, x, dx);
        for (Parameters.Entry e : params.entries()) {
            if (!e.trainable()) continue;
            Tensor grad = params.grad(e).copy();
            nonTrivial("dL/d" + e.name(), grad);
            check("dL/d" + e.name(), loss, params.value(e), grad);
        }
    }

    private static void nonTrivial(String what, Tensor g) {
        float max = 0;
        for (int i = 0; i < g.size(); i++) max = Math.max(max, Math.abs(g.at(i)));
        if (!(max > 1e-3f)) throw new AssertionError(what + " is all (near) zero: the gradient does not reach it");
    }
}
