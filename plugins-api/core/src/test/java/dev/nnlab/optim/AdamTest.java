package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nnlab.optim.OptimizerFixtures.setGrads;
import static dev.nnlab.optim.OptimizerFixtures.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AdamTest {

    @Test
    void first_two_steps_match_hand_computed_values() {
        Parameters p = vector(1f);
        Adam adam = new Adam(p, 0.1f);
        setGrads(p, 0.5f);
        adam.step();
        // m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025; m^ = 0.05 / 0.1 = 0.5, v^ = 0.00025 / 0.001 = 0.25
        // p = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.9
        assertThat(p.values[0]).isCloseTo(0.9f, within(1e-6f));
        setGrads(p, -1f);
        adam.step();
        double m = 0.9 * 0.05 + 0.1 * -1.0;          // -0.055
        double v = 0.999 * 0.00025 + 0.001 * 1.0;    // 0.00124975
        double mHat = m / (1 - 0.9 * 0.9);           // -0.2894737
        double vHat = v / (1 - 0.999 * 0.999);       // 0.6251876
        double expected = 0.9 - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8); // 0.9366103
        assertThat(p.values[0]).isCloseTo((float) expected, within(1e-6f));
        assertThat(p.values[0]).isCloseTo(0.9366103f, within(1e-6f));
        assertThat(adam.state().get("m")[0]).isCloseTo(-0.055f, within(1e-7f));
        assertThat(adam.state().get("v")[0]).isCloseTo(0.00124975f, within(1e-7f)); // 1 - 0.999 rounds to 0.00100005 in float
    }

    @Test
    void bias_correction_makes_the_first_step_exactly_lr_for_any_gradient() {
        float[] grads = {3e-2f, -3e-2f, 1f, -1f, 42f, -1000f, 0.7f};
        Parameters p = vector(new float[grads.length]);
        setGrads(p, grads);
        float lr = 1e-3f;
        new Adam(p, lr).step();
        // m^ = g and v^ = g^2 at step 1, so each parameter moves by lr * g / (|g| + eps) = -lr * sign(g).
        for (int i = 0; i < grads.length; i++) {
            assertThat(p.values[i]).as("parameter %d", i).isCloseTo(-Math.signum(grads[i]) * lr, within(lr * 1e-5f));
        }
    }

    @Test
    void adamw_decouples_weight_decay_where_adam_couples_it() {
        // Zero gradient, value 1, lr 0.1, decay 0.1.
        // Adam + L2: g = 0.1 * 1 = 0.1, a first step of exactly lr against its sign: p = 1 - 0.1 = 0.9.
        // AdamW: p = 1 * (1 - 0.1 * 0.1) = 0.99, and the zero gradient moves nothing further.
        Parameters coupled = vector(1f), decoupled = vector(1f);
        new Adam(coupled, List.of(), 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, false).step();
        new Adam(decoupled, List.of(), 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, true).step();
        assertThat(coupled.values[0]).isCloseTo(0.9f, within(1e-6f));
        assertThat(decoupled.values[0]).isCloseTo(0.99f, within(1e-6f));
    }

    @Test
    void adamw_shrinks_then_applies_the_adaptive_step() {
        Parameters p = vector(1f);
        Adam adamw = new Adam(p, List.of(), 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, true);
        setGrads(p, 0.5f);
        adamw.step(); // p = 1 * (1 - 0.01) - 0.1 * sign(0.5) = 0.89; the moments never see the decay
        assertThat(p.values[0]).isCloseTo(0.89f, within(1e-6f));
        assertThat(adamw.state().get("m")[0]).isCloseTo(0.05f, within(1e-7f));
        assertThat(adamw.kind()).isEqualTo("adamw");
    }

    @Test
    void every_vector_lane_and_the_tail_follow_the_adamw_rule() {
        Rng rng = new Rng(8);
        Parameters p = OptimizerFixtures.mixed(rng);
        double[] ref = new double[p.size()], m = new double[p.size()], v = new double[p.size()];
        for (int i = 0; i < ref.length; i++) ref[i] = p.values[i];
        float lr = 0.01f, b1 = 0.8f, b2 = 0.95f, eps = 1e-8f, wd = 0.1f;
        Adam adam = new Adam(p, List.of(), lr, b1, b2, eps, wd, true);
        for (int t = 1; t <= 3; t++) {
            OptimizerFixtures.randomGrads(p, rng);
            for (Parameters.Entry e : p.entries()) {
                if (!e.trainable()) continue;
                for (int i = e.offset(); i < e.offset() + e.size(); i++) {
                    double g = p.grads[i];
                    ref[i] *= 1 - lr * wd;
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                    ref[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
            }
            adam.step();
        }
        for (int i = 0; i < ref.length; i++) assertThat((double) p.values[i]).as("value %d", i).isCloseTo(ref[i], within(1e-5));
    }
}
