package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GradientClippingTest {

    /** a = (3, 4), a buffer with a stray gradient 100, b = (0, 12): norms 5 and 12, global sqrt(25 + 144) = 13. */
    private static Parameters model() {
        Parameters.Builder builder = Parameters.builder();
        builder.add("a", 2);
        builder.add("buffer", false, 1);
        builder.add("b", 2);
        Parameters p = builder.build();
        OptimizerFixtures.setGrads(p, 3f, 4f, 100f, 0f, 12f);
        return p;
    }

    @Test
    void norms_match_hand_computation() {
        Parameters p = model();
        assertThat(GradientClipping.gradNorm(p, p.entry("a"))).isEqualTo(5f);
        assertThat(GradientClipping.gradNorm(p, p.entry("b"))).isEqualTo(12f);
        assertThat(GradientClipping.globalGradNorm(p)).isEqualTo(13f);
    }

    @Test
    void gradients_above_the_threshold_are_scaled_to_exactly_max_norm() {
        Parameters p = model();
        float before = GradientClipping.clipGlobalNorm(p, 6.5f);
        assertThat(before).isEqualTo(13f);
        // Scale 6.5 / 13 = 0.5 for every trainable entry together; the buffer is not touched.
        assertThat(p.grads).containsExactly(new float[] {1.5f, 2f, 100f, 0f, 6f}, within(1e-6f));
        assertThat(GradientClipping.globalGradNorm(p)).isCloseTo(6.5f, within(1e-6f));
    }

    @Test
    void gradients_below_the_threshold_are_left_unchanged() {
        Parameters p = model();
        assertThat(GradientClipping.clipGlobalNorm(p, 13.5f)).isEqualTo(13f);
        assertThat(p.grads).containsExactly(3f, 4f, 100f, 0f, 12f);
    }

    @Test
    void a_non_positive_max_norm_is_refused() {
        assertThatThrownBy(() -> GradientClipping.clipGlobalNorm(model(), 0f))
                .hasMessage("gradient clipping: maxNorm = 0.0 is not allowed; expected a number > 0");
    }
}
