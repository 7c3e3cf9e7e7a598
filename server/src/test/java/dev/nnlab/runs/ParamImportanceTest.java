package dev.nnlab.runs;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A synthetic sweep: the metric follows log10(lr) through a bump; weightDecay is pure noise. */
class ParamImportanceTest {

    @Test
    void the_parameter_that_drives_the_metric_is_important_and_the_noise_is_not() {
        int n = 40;
        SplittableRandom rng = new SplittableRandom(1);
        double[] logLr = new double[n], wd = new double[n], metric = new double[n];
        for (int i = 0; i < n; i++) {
            logLr[i] = -4 + 4 * rng.nextDouble();
            wd[i] = rng.nextDouble();
            // Best at lr = 1e-2; monotone on most of the range, with small noise.
            metric[i] = 0.9 - 0.08 * (logLr[i] + 2) * (logLr[i] + 2) + 0.005 * (rng.nextDouble() - 0.5);
        }
        List<ParamImportance.Result> r = ParamImportance.of(List.of(
                new ParamImportance.Column("lr", logLr, false, true),
                new ParamImportance.Column("weightDecay", wd, false, false)), metric, 7);

        ParamImportance.Result lr = r.get(0), noise = r.get(1);
        assertThat(lr.importance()).isGreaterThan(0.9);
        assertThat(noise.importance()).isLessThan(0.1);
        assertThat(lr.importance() + noise.importance()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Math.abs(noise.correlation())).isLessThan(0.35);
        // A bump is not monotone: the correlation sees only part of it, the forest all of it.
        assertThat(lr.errorIncrease()).isGreaterThan(10 * Math.max(noise.errorIncrease(), 1e-12));
    }

    @Test
    void a_linear_effect_shows_as_a_strong_correlation_with_its_sign() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8}, y = {8, 7, 6, 5, 4, 3, 2, 1};
        assertThat(ParamImportance.pearson(x, y)).isEqualTo(-1.0);
        assertThat(ParamImportance.pearson(x, new double[]{1, 1, 1, 1, 1, 1, 1, 1})).as("a constant metric has no r").isNull();
    }

    @Test
    void too_few_runs_give_no_forest_and_categorical_parameters_no_correlation() {
        List<ParamImportance.Result> r = ParamImportance.of(List.of(
                new ParamImportance.Column("optimizer", new double[]{0, 1, 0}, true, false)), new double[]{0.5, 0.7, 0.4}, 1);
        assertThat(r.getFirst().importance()).isNull();
        assertThat(r.getFirst().correlation()).isNull();
    }
}
