package dev.nnlab.testing;

import dev.nnlab.tensor.Tensor;

import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * Central-difference gradient checks for a float32 core.
 *
 * <p>DL4J checks in double precision with eps 1e-6. nnlab computes in float32 only, where a 1e-6
 * nudge disappears in rounding, so this uses eps 1e-2..1e-3 and compares with a relative error of
 * {@code |a - n| / max(|a|, |n|)} against {@code maxRelError}, ignoring pairs whose absolute
 * difference is below {@code absFloor}. A wrong gradient is off by O(1) and still fails loudly.
 *
 * <p>Use a scalar objective that mixes every output, e.g. {@code sum(y * R)} for a fixed random R,
 * so that each output's gradient is exercised with a different weight.
 */
public final class GradientCheck {
    public static final double EPS = 1e-2;
    public static final double MAX_REL_ERROR = 1e-2;
    public static final double ABS_FLOOR = 1e-4;

    private GradientCheck() {}

    /**
     * Compares {@code analytic[aOff + i]} with the numerical derivative of {@code loss} with respect
     * to {@code values[vOff + i]}, for i in [0, n).
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
                fail("%s: gradient[%d] analytic %.6g vs numeric %.6g (relative error %.3g > %.3g)",
                        what, i, a, numeric, rel, maxRel);
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
}
