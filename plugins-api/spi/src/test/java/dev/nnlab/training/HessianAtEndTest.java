package dev.nnlab.training;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.loss.MeanSquaredError;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Hessian of a real network's loss through finite differences of its back-propagated gradient. */
class HessianAtEndTest {

    private static double metric(RecordingSink sink, String key) {
        return sink.metrics().stream().filter(m -> m.key().equals(key)).mapToDouble(RecordingSink.Metric::value).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + key + " in " + sink.metrics()));
    }

    @Test
    void a_linear_model_under_squared_error_has_the_hand_computed_spectrum() {
        // scores = X W (no bias), loss = mean over N*C of (score - onehot)^2: the Hessian in W is
        // 2/(N C) (X^T X) (x) I_C. With X = diag(1..6), its eigenvalues are s^2/9, each C = 3 times.
        int n = 6, c = 3;
        float[] x = new float[n * n];
        for (int i = 0; i < n; i++) x[i * n + i] = i + 1;
        LabelledData data = new LabelledData(Tensor.of(x, n, n), new int[]{0, 1, 2, 0, 1, 2});
        Sequential model = new Sequential(new int[]{n}, new Dense(c, Initializer.named("gaussian", 0.1), false)).initialize(new Rng(1));
        float[] before = model.params().values.clone();
        RecordingSink sink = new RecordingSink();

        HessianAtEnd.report(sink, 10, 1, model, new MeanSquaredError(), data, 4);

        assertThat(metric(sink, "hessian_eig_top1")).isCloseTo(36 / 9.0, within(1e-3));
        assertThat(metric(sink, "hessian_eig_min")).isCloseTo(1 / 9.0, within(1e-3));
        assertThat(metric(sink, "hessian_negative_share")).isZero();
        assertThat(model.params().values).as("the weights are left as they were").containsExactly(before);
        String json = new String(sink.artifacts().getFirst().bytes(), StandardCharsets.UTF_8);
        assertThat(sink.artifacts().getFirst().name()).isEqualTo("hessian_spectrum.json");
        assertThat(json).contains("\"parameters\":18").contains("\"ritzValues\":[").contains("negativeShareMeans");
    }

    @Test
    void softmax_regression_is_convex_so_no_eigenvalue_is_negative() {
        int n = 64, d = 5;
        Rng rng = new Rng(3);
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < d; j++) x[i * d + j] = (float) (rng.nextGaussian() + (j == y[i] ? 1.5 : 0));
        }
        Sequential model = new Sequential(new int[]{d}, new Dense(3, Initializer.named("gaussian", 0.5), true)).initialize(new Rng(2));
        RecordingSink sink = new RecordingSink();

        HessianAtEnd.report(sink, 10, 1, model, new SoftmaxCrossEntropy(), new LabelledData(Tensor.of(x, n, d), y), 4);

        assertThat(metric(sink, "hessian_eig_top1")).isPositive();
        assertThat(metric(sink, "hessian_negative_share")).isZero();
        // The softmax is invariant to adding one vector to every class's weights: a flat direction, eigenvalue 0.
        assertThat(Math.abs(metric(sink, "hessian_eig_min"))).isLessThan(1e-3 * metric(sink, "hessian_eig_top1"));
    }

    @Test
    void a_network_above_the_limit_is_skipped_with_the_reason() {
        Sequential model = new Sequential(new int[]{1000}, new Dense(251, Initializer.named("gaussian", 0.01), true)).initialize(new Rng(1));
        RecordingSink sink = new RecordingSink();
        HessianAtEnd.report(sink, 1, 1, model, new SoftmaxCrossEntropy(),
                new LabelledData(Tensor.zeros(2, 1000), new int[]{0, 1}), 1);
        assertThat(sink.metrics()).isEmpty();
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("hessian_skipped");
            assertThat(e.message()).contains("251,251 trainable parameters exceed the limit of 250,000");
        });
    }
}
