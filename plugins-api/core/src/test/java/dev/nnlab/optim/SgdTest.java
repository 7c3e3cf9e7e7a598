package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nnlab.optim.OptimizerFixtures.setGrads;
import static dev.nnlab.optim.OptimizerFixtures.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SgdTest {

    @Test
    void plain_sgd_first_two_steps_match_hand_computed_values() {
        Parameters p = vector(1f, -2f);
        Sgd sgd = new Sgd(p, 0.1f);
        setGrads(p, 0.5f, -1f);
        sgd.step();
        // 1 - 0.1 * 0.5 = 0.95;  -2 - 0.1 * (-1) = -1.9
        assertThat(p.values).containsExactly(new float[] {0.95f, -1.9f}, within(1e-6f));
        setGrads(p, 0.2f, 0.3f);
        sgd.step();
        // 0.95 - 0.02 = 0.93;  -1.9 - 0.03 = -1.93
        assertThat(p.values).containsExactly(new float[] {0.93f, -1.93f}, within(1e-6f));
        assertThat(sgd.steps()).isEqualTo(2);
        assertThat(sgd.state()).isEmpty();
    }

    @Test
    void momentum_first_three_steps_match_hand_computed_values() {
        Parameters p = vector(1f);
        Sgd sgd = new Sgd(p, List.of(), 0.1f, 0.9f, false, 0f);
        setGrads(p, 0.5f);
        sgd.step(); // v = 0.5;                 p = 1 - 0.1 * 0.5 = 0.95
        assertThat(p.values[0]).isCloseTo(0.95f, within(1e-6f));
        sgd.step(); // v = 0.9 * 0.5 + 0.5 = 0.95;  p = 0.95 - 0.095 = 0.855
        assertThat(p.values[0]).isCloseTo(0.855f, within(1e-6f));
        sgd.step(); // v = 0.9 * 0.95 + 0.5 = 1.355; p = 0.855 - 0.1355 = 0.7195
        assertThat(p.values[0]).isCloseTo(0.7195f, within(1e-6f));
        assertThat(sgd.state().get("velocity")[0]).isCloseTo(1.355f, within(1e-6f));
    }

    @Test
    void nesterov_first_two_steps_match_hand_computed_values_and_lead_plain_momentum() {
        Parameters pn = vector(1f), pm = vector(1f);
        Sgd nesterov = new Sgd(pn, List.of(), 0.1f, 0.9f, true, 0f);
        Sgd momentum = new Sgd(pm, List.of(), 0.1f, 0.9f, false, 0f);
        setGrads(pn, 0.5f);
        setGrads(pm, 0.5f);
        nesterov.step(); // v = 0.5; d = 0.5 + 0.9 * 0.5 = 0.95;   p = 1 - 0.095 = 0.905
        momentum.step();
        assertThat(pn.values[0]).isCloseTo(0.905f, within(1e-6f));
        assertThat(pn.values[0]).isLessThan(pm.values[0]);
        nesterov.step(); // v = 0.95; d = 0.5 + 0.9 * 0.95 = 1.355; p = 0.905 - 0.1355 = 0.7695
        momentum.step();
        assertThat(pn.values[0]).isCloseTo(0.7695f, within(1e-6f));
        assertThat(pn.values[0]).isLessThan(pm.values[0]);
    }

    @Test
    void weight_decay_adds_decay_times_value_to_the_gradient() {
        Parameters p = vector(2f);
        Sgd sgd = new Sgd(p, List.of(), 0.1f, 0f, false, 0.01f);
        setGrads(p, 0.5f);
        sgd.step(); // g = 0.5 + 0.01 * 2 = 0.52;  p = 2 - 0.1 * 0.52 = 1.948
        assertThat(p.values[0]).isCloseTo(1.948f, within(1e-6f));
    }

    @Test
    void every_vector_lane_and_the_tail_follow_the_nesterov_rule() {
        Rng rng = new Rng(5);
        Parameters p = OptimizerFixtures.mixed(rng);
        double[] ref = new double[p.size()], v = new double[p.size()];
        for (int i = 0; i < ref.length; i++) ref[i] = p.values[i];
        float lr = 0.05f, mu = 0.8f, wd = 0.1f;
        Sgd sgd = new Sgd(p, List.of(), lr, mu, true, wd);
        for (int step = 0; step < 3; step++) {
            OptimizerFixtures.randomGrads(p, rng);
            for (Parameters.Entry e : p.entries()) {
                if (!e.trainable()) continue;
                for (int i = e.offset(); i < e.offset() + e.size(); i++) {
                    double g = p.grads[i] + wd * ref[i];
                    v[i] = mu * v[i] + g;
                    ref[i] -= lr * (g + mu * v[i]);
                }
            }
            sgd.step();
        }
        for (int i = 0; i < ref.length; i++) assertThat((double) p.values[i]).as("value %d", i).isCloseTo(ref[i], within(1e-5));
    }

    @Test
    void momentum_and_nesterov_with_zero_momentum_take_exactly_the_plain_sgd_steps() {
        for (boolean nesterov : new boolean[] {false, true}) {
            Parameters plain = vector(1f, -2f), zero = vector(1f, -2f);
            Sgd reference = new Sgd(plain, List.of(), 0.1f, 0f, false, 0.01f);
            Sgd mu0 = new Sgd(zero, List.of(), 0.1f, 0f, nesterov, 0.01f);
            for (float[] g : new float[][] {{0.5f, -1f}, {0.2f, 0.3f}, {-0.7f, 0.1f}}) {
                setGrads(plain, g);
                setGrads(zero, g);
                reference.step();
                mu0.step();
            }
            assertThat(zero.values).as("nesterov %s", nesterov).containsExactly(plain.values);
            assertThat(mu0.state()).isEmpty();
        }
    }

    @Test
    void momentum_outside_its_rule_is_refused_with_the_rule() {
        assertThatThrownBy(() -> new Sgd(vector(1f), List.of(), 0.1f, 1f, false, 0f))
                .hasMessage("momentum: momentum = 1.0 is not allowed; expected a number >= 0 and < 1");
        assertThatThrownBy(() -> new Sgd(vector(1f), List.of(), 0.1f, -0.1f, true, 0f))
                .hasMessage("nesterov: momentum = -0.1 is not allowed; expected a number >= 0 and < 1");
    }
}
