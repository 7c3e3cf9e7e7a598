package dev.nnlab.nn.init;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class InitializerTest {
    private static final int FAN_IN = 400, FAN_OUT = 250;

    /** {mean, std} of a (FAN_IN, FAN_OUT) tensor filled by {@code init}. */
    private static double[] moments(Initializer init) {
        Tensor w = Tensor.zeros(FAN_IN, FAN_OUT);
        init.fill(w, FAN_IN, FAN_OUT, new Rng(42));
        double s = 0, ss = 0;
        for (int i = 0; i < w.size(); i++) s += w.at(i);
        double mean = s / w.size();
        for (int i = 0; i < w.size(); i++) ss += (w.at(i) - mean) * (w.at(i) - mean);
        return new double[] {mean, Math.sqrt(ss / w.size())};
    }

    private static void assertMoments(Initializer init, double expectedStd) {
        double[] m = moments(init);
        // 100k draws: the sample std is within ~0.5% of the truth, the mean within ~4 std/sqrt(n).
        assertThat(m[1]).as("std of " + init).isCloseTo(expectedStd, within(0.03 * expectedStd));
        assertThat(m[0]).as("mean of " + init).isCloseTo(0.0, within(4 * expectedStd / Math.sqrt(FAN_IN * FAN_OUT)));
    }

    @Test
    void gaussian_has_the_requested_std_for_small_and_unit_scales() {
        assertMoments(new Gaussian(0.01), 0.01);
        assertMoments(new Gaussian(1.0), 1.0);
    }

    @Test
    void xavier_normal_std_is_sqrt_2_over_fan_sum() {
        assertMoments(new Xavier(false), Math.sqrt(2.0 / (FAN_IN + FAN_OUT)));
    }

    @Test
    void xavier_uniform_stays_within_its_limit_and_has_matching_std() {
        double limit = Math.sqrt(6.0 / (FAN_IN + FAN_OUT));
        assertMoments(new Xavier(true), limit / Math.sqrt(3));
        assertAllWithin(new Xavier(true), limit);
    }

    @Test
    void he_normal_std_is_sqrt_2_over_fan_in() {
        assertMoments(new He(), Math.sqrt(2.0 / FAN_IN));
    }

    @Test
    void uniform_draws_from_minus_a_to_a() {
        assertMoments(new Uniform(0.1), 0.1 / Math.sqrt(3));
        assertAllWithin(new Uniform(0.1), 0.1);
    }

    @Test
    void zeros_fills_only_its_view_with_zeros() {
        float[] backing = {7f, 7f, 7f, 7f, 7f};
        new Zeros().fill(Tensor.view(backing, 1, 3), 3, 1, new Rng(1));
        assertThat(backing).containsExactly(7f, 0f, 0f, 0f, 7f);
    }

    @Test
    void same_seed_gives_same_values_and_another_seed_different_ones() {
        Initializer[] all = {new Gaussian(1), new Uniform(1), new Xavier(false), new Xavier(true), new He()};
        for (Initializer init : all) {
            Tensor a = Tensor.zeros(20, 30), b = Tensor.zeros(20, 30), c = Tensor.zeros(20, 30);
            init.fill(a, 20, 30, new Rng(7));
            init.fill(b, 20, 30, new Rng(7));
            init.fill(c, 20, 30, new Rng(8));
            assertThat(a.toArray()).as(init.toString()).containsExactly(b.toArray());
            assertThat(a.toArray()).as(init.toString()).isNotEqualTo(c.toArray());
        }
    }

    @Test
    void config_names_map_to_initializers() {
        assertThat(Initializer.named("gaussian", 0.01)).isEqualTo(new Gaussian(0.01));
        assertThat(Initializer.named("xavier")).isEqualTo(new Xavier(false));
        assertThat(Initializer.named("Xavier_Uniform")).isEqualTo(new Xavier(true));
        assertThat(Initializer.named("he")).isEqualTo(new He());
        assertThat(Initializer.named("zeros")).isEqualTo(new Zeros());
        assertThat(Initializer.named("uniform", 0.1)).isEqualTo(new Uniform(0.1));
    }

    @Test
    void unknown_names_and_missing_scales_are_refused_with_a_clear_message() {
        assertThatThrownBy(() -> Initializer.named("lecun"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lecun").hasMessageContaining("xavier");
        assertThatThrownBy(() -> Initializer.named("gaussian"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std");
        assertThatThrownBy(() -> new Gaussian(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    private static void assertAllWithin(Initializer init, double limit) {
        Tensor w = Tensor.zeros(FAN_IN, FAN_OUT);
        init.fill(w, FAN_IN, FAN_OUT, new Rng(3));
        float max = 0;
        for (int i = 0; i < w.size(); i++) max = Math.max(max, Math.abs(w.at(i)));
        // The float cast may round the double limit up by half an ulp.
        assertThat((double) max).isLessThanOrEqualTo(limit * (1 + 1e-7)).isGreaterThan(0.99 * limit);
    }
}
