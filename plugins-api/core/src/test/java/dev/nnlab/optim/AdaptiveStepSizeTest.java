package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The L2 penalty a coupled decay descends, and the median step size of the adaptive optimizers, on hand-computed values. */
class AdaptiveStepSizeTest {

    /** "dense0.weight" (3 values) and "dense0.bias" (1), as a family builds them. */
    private static Parameters layer(float... values) {
        Parameters.Builder b = Parameters.builder();
        b.add("dense0.weight", 3);
        b.add("dense0.bias", 1);
        Parameters p = b.build();
        System.arraycopy(values, 0, p.values, 0, values.length);
        return p;
    }

    @Test
    void the_l2_penalty_is_half_the_decay_times_the_squared_norm_of_the_decayed_weights_only() {
        Parameters p = layer(1f, -2f, 2f, 5f);
        // weights 1, -2, 2: ||w||^2 = 9; the bias 5 is in the no-decay group: 0.1 / 2 * 9 = 0.45
        Sgd sgd = new Sgd(p, ParameterGroup.decayWeightsOnly(p), 0.01f, 0f, false, 0.1f);
        assertThat(sgd.l2Penalty()).isCloseTo(0.45, within(1e-6));
        assertThat(new Sgd(p, ParameterGroup.decayWeightsOnly(p), 0.01f, 0f, false, 0f).l2Penalty()).isZero();
        // AdamW's decay shrinks the values directly: no term of a loss
        assertThat(new Adam(p, List.of(), 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, true).l2Penalty()).isNaN();
        assertThat(new Adam(p, List.of(), 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, false).l2Penalty()).isCloseTo(0.05 * (9 + 25), within(1e-6));
    }

    @Test
    void adagrads_median_step_size_is_lr_over_the_root_of_the_summed_squares_and_shrinks_step_by_step() {
        Parameters p = layer(0f, 0f, 0f, 0f);
        Adagrad adagrad = new Adagrad(p, List.of(), 0.1f, 1e-10f, 0f);
        List<Parameters.Entry> entries = p.entries();
        OptimizerFixtures.setGrads(p, 1f, 2f, 0f, 4f);
        adagrad.step();
        // s = (1, 4, 0, 16): steps 0.1/1, 0.1/2, (none: never had a gradient), 0.1/4; median of (0.1, 0.05, 0.025) = 0.05
        assertThat(adagrad.medianEffectiveLr(entries)).isCloseTo(0.05, within(1e-7));
        adagrad.step();
        // s = (2, 8, 0, 32): median 0.1 / sqrt(8)
        assertThat(adagrad.medianEffectiveLr(entries)).isCloseTo(0.1 / Math.sqrt(8), within(1e-7));
        // an even count takes the mean of the middle two: weights only, s = (2, 8): (0.1/sqrt(2) + 0.1/sqrt(8)) / 2
        assertThat(adagrad.medianEffectiveLr(List.of(entries.get(0)))).isCloseTo((0.1 / Math.sqrt(2) + 0.1 / Math.sqrt(8)) / 2, within(1e-7));
    }

    @Test
    void rmsprops_step_size_follows_its_moving_average_and_does_not_keep_shrinking() {
        Parameters p = layer(0f, 0f, 0f, 0f);
        RmsProp rms = new RmsProp(p, List.of(), 0.01f, 0.5f, 1e-8f, 0f);
        for (int i = 0; i < 30; i++) {
            OptimizerFixtures.setGrads(p, 2f, 2f, 2f, 2f);
            rms.step();
        }
        // v -> g^2 = 4 (1 - 0.5^30 of it): step 0.01 / 2
        assertThat(rms.medianEffectiveLr(p.entries())).isCloseTo(0.005, within(1e-8));
        Adagrad adagrad = new Adagrad(p, List.of(), 0.01f, 1e-10f, 0f);
        for (int i = 0; i < 30; i++) {
            OptimizerFixtures.setGrads(p, 2f, 2f, 2f, 2f);
            adagrad.step();
        }
        // s = 30 * 4: 0.01 / sqrt(120), far below RMSprop's under the same gradients
        assertThat(adagrad.medianEffectiveLr(p.entries())).isCloseTo(0.01 / Math.sqrt(120), within(1e-8));
    }

    @Test
    void plain_sgd_has_no_adaptive_step_size() {
        Parameters p = layer(1f, 1f, 1f, 1f);
        assertThat(new Sgd(p, List.of(), 0.1f, 0.9f, false, 0f).medianEffectiveLr(p.entries())).isNaN();
    }
}
