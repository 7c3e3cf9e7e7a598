package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.loss.Accuracy;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Softmax regression on six separable points, a linear model written directly over Parameters. */
class OptimizerConvergenceTest {
    private static final float[] X = {2f, 0f, 1.5f, 0.5f, -1f, 1.7f, -1.2f, 1f, -1f, -1.7f, -0.8f, -1.2f};
    private static final int[] Y = {0, 0, 1, 1, 2, 2};
    private static final int N = 6, D = 2, C = 3;

    private static final Map<String, Float> LEARNING_RATES = Map.of(
            "sgd", 0.5f, "momentum", 0.2f, "nesterov", 0.2f, "adagrad", 0.5f, "rmsprop", 0.05f, "adam", 0.1f, "adamw", 0.1f);

    @Test
    void every_optimizer_decreases_the_loss_of_softmax_regression() {
        for (String name : OptimizerSpec.NAMES) {
            Parameters.Builder builder = Parameters.builder();
            builder.add("linear.weight", D, C);
            builder.add("norm.running_mean", false, C);
            builder.add("linear.bias", C);
            Parameters p = builder.build();
            Tensor w = p.value("linear.weight"), b = p.value("linear.bias"), dw = p.grad("linear.weight"), db = p.grad("linear.bias");
            p.value("norm.running_mean").fill(7f);
            Optimizer opt = Optimizers.create(OptimizerSpec.defaults(name, LEARNING_RATES.get(name)), p);
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            Tensor logits = Tensor.zeros(N, C);

            float initial = Float.NaN, loss = Float.NaN;
            for (int step = 0; step < 40; step++) {
                for (int i = 0; i < N; i++) {
                    for (int c = 0; c < C; c++) {
                        float z = b.at(c);
                        for (int d = 0; d < D; d++) z += X[i * D + d] * w.get(d, c);
                        logits.set(z, i, c);
                    }
                }
                loss = ce.forward(logits, Y);
                if (step == 0) initial = loss;
                Tensor dl = ce.backward();
                p.zeroGrad();
                for (int i = 0; i < N; i++) {
                    for (int c = 0; c < C; c++) {
                        float g = dl.get(i, c);
                        db.set(db.at(c) + g, c);
                        for (int d = 0; d < D; d++) dw.set(dw.get(d, c) + X[i * D + d] * g, d, c);
                    }
                }
                opt.step();
            }
            // Zero weights start at ln 3 = 1.0986.
            assertThat(initial).as(name).isEqualTo((float) Math.log(3));
            assertThat(loss).as(name).isLessThan(0.5f * initial);
            assertThat(Accuracy.of(logits, Y)).as(name).isEqualTo(1f);
            assertThat(p.value("norm.running_mean").toArray()).as(name).containsOnly(7f);
        }
    }
}
