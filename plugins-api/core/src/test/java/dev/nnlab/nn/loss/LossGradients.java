package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.testing.GradientCheck;
import dev.nnlab.tensor.Rng;

/** Central-difference checks of a loss's backward against its forward, w.r.t. the output tensor. */
final class LossGradients {
    private LossGradients() {}

    static void checkWithLabels(String what, Loss loss, Tensor output, int[] labels) {
        loss.forward(output, labels);
        // backward() is a reused buffer that the probing forwards overwrite: keep a copy.
        float[] analytic = loss.backward().toArray();
        GradientCheck.check(what, () -> loss.forward(output, labels),
                output.data, output.offset, analytic, 0, output.size());
    }

    static void checkWithTarget(String what, DenseTargetLoss loss, Tensor output, Tensor target) {
        loss.forward(output, target);
        float[] analytic = loss.backward().toArray();
        GradientCheck.check(what, () -> loss.forward(output, target),
                output.data, output.offset, analytic, 0, output.size());
    }

    static Tensor random(Rng rng, float scale, int rows, int cols) {
        Tensor t = Tensor.zeros(rows, cols);
        for (int i = 0; i < t.size(); i++) t.data[i] = (float) (scale * rng.nextGaussian());
        return t;
    }
}
