package dev.nnlab.testing;

import dev.nnlab.tensor.Tensor;

import java.util.function.DoubleSupplier;

/**
 * The core's tests' name for {@link dev.nnlab.nn.GradientCheck}, which plugin authors use too; kept
 * so the existing tests read as before.
 */
public final class GradientCheck {
    public static final double EPS = dev.nnlab.nn.GradientCheck.EPS;
    public static final double MAX_REL_ERROR = dev.nnlab.nn.GradientCheck.MAX_REL_ERROR;
    public static final double ABS_FLOOR = dev.nnlab.nn.GradientCheck.ABS_FLOOR;

    private GradientCheck() {}

    public static void check(String what, DoubleSupplier loss, float[] values, int vOff,
                             float[] analytic, int aOff, int n) {
        dev.nnlab.nn.GradientCheck.check(what, loss, values, vOff, analytic, aOff, n);
    }

    public static void check(String what, DoubleSupplier loss, float[] values, int vOff,
                             float[] analytic, int aOff, int n, double eps, double maxRel, double absFloor) {
        dev.nnlab.nn.GradientCheck.check(what, loss, values, vOff, analytic, aOff, n, eps, maxRel, absFloor);
    }

    public static void check(String what, DoubleSupplier loss, Tensor values, Tensor analytic) {
        dev.nnlab.nn.GradientCheck.check(what, loss, values, analytic);
    }

    public static double weightedSum(Tensor y, float[] r) {
        return dev.nnlab.nn.GradientCheck.weightedSum(y, r);
    }
}
