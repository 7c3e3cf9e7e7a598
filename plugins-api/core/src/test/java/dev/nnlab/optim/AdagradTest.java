package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nnlab.optim.OptimizerFixtures.setGrads;
import static dev.nnlab.optim.OptimizerFixtures.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AdagradTest {

    @Test
    void first_two_steps_match_hand_computed_values() {
        Parameters p = vector(1f);
        Adagrad adagrad = new Adagrad(p, 0.1f);
        setGrads(p, 0.5f);
        adagrad.step(); // s = 0.25;          p = 1 - 0.1 * 0.5 / sqrt(0.25) = 0.9
        assertThat(p.values[0]).isCloseTo(0.9f, within(1e-6f));
        setGrads(p, 1f);
        adagrad.step(); // s = 0.25 + 1 = 1.25; p = 0.9 - 0.1 * 1 / sqrt(1.25) = 0.9 - 0.0894427 = 0.8105573
        assertThat(p.values[0]).isCloseTo(0.8105573f, within(1e-6f));
        assertThat(adagrad.state().get("sum")[0]).isEqualTo(1.25f);
    }

    @Test
    void a_parameter_without_gradient_stays_put_thanks_to_eps() {
        Parameters p = vector(3f);
        new Adagrad(p, 0.1f).step(); // 0 / (sqrt(0) + 1e-10) = 0, not NaN
        assertThat(p.values[0]).isEqualTo(3f);
    }

    @Test
    void every_vector_lane_and_the_tail_follow_the_update_rule() {
        Rng rng = new Rng(6);
        Parameters p = OptimizerFixtures.mixed(rng);
        double[] ref = new double[p.size()], s = new double[p.size()];
        for (int i = 0; i < ref.length; i++) ref[i] = p.values[i];
        float lr = 0.05f, wd = 0.1f, eps = 1e-10f;
        Adagrad adagrad = new Adagrad(p, List.of(), lr, eps, wd);
        for (int step = 0; step < 3; step++) {
            OptimizerFixtures.randomGrads(p, rng);
            for (Parameters.Entry e : p.entries()) {
                if (!e.trainable()) continue;
                for (int i = e.offset(); i < e.offset() + e.size(); i++) {
                    double g = p.grads[i] + wd * ref[i];
                    s[i] += g * g;
                    ref[i] -= lr * g / (Math.sqrt(s[i]) + eps);
                }
            }
            adagrad.step();
        }
        for (int i = 0; i < ref.length; i++) assertThat((double) p.values[i]).as("value %d", i).isCloseTo(ref[i], within(1e-5));
    }
}
