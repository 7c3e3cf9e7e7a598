package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nnlab.optim.OptimizerFixtures.setGrads;
import static dev.nnlab.optim.OptimizerFixtures.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RmsPropTest {

    @Test
    void first_two_steps_match_hand_computed_values_with_pytorch_alpha() {
        Parameters p = vector(1f);
        RmsProp rms = new RmsProp(p, 0.01f);
        setGrads(p, 0.5f);
        rms.step(); // v = 0.01 * 0.25 = 0.0025;  p = 1 - 0.01 * 0.5 / 0.05 = 0.9
        assertThat(p.values[0]).isCloseTo(0.9f, within(1e-6f));
        setGrads(p, 1f);
        rms.step(); // v = 0.99 * 0.0025 + 0.01 * 1 = 0.012475;  p = 0.9 - 0.01 / sqrt(0.012475) = 0.9 - 0.0895323
        assertThat(p.values[0]).isCloseTo((float) (0.9 - 0.01 / Math.sqrt(0.012475)), within(1e-6f));
        assertThat(p.values[0]).isCloseTo(0.8104677f, within(1e-6f));
    }

    @Test
    void the_lecture_decay_of_0_9_forgets_faster() {
        Parameters p = vector(1f);
        RmsProp rms = new RmsProp(p, List.of(), 0.01f, 0.9f, 1e-8f, 0f);
        setGrads(p, 0.5f);
        rms.step(); // v = 0.1 * 0.25 = 0.025;  p = 1 - 0.01 * 0.5 / sqrt(0.025) = 1 - 0.0316228
        assertThat(p.values[0]).isCloseTo((float) (1 - 0.005 / Math.sqrt(0.025)), within(1e-6f));
        assertThat(rms.state().get("square_avg")[0]).isCloseTo(0.025f, within(1e-8f));
    }

    @Test
    void every_vector_lane_and_the_tail_follow_the_update_rule() {
        Rng rng = new Rng(7);
        Parameters p = OptimizerFixtures.mixed(rng);
        double[] ref = new double[p.size()], v = new double[p.size()];
        for (int i = 0; i < ref.length; i++) ref[i] = p.values[i];
        float lr = 0.01f, alpha = 0.9f, eps = 1e-8f, wd = 0.1f;
        RmsProp rms = new RmsProp(p, List.of(), lr, alpha, eps, wd);
        for (int step = 0; step < 3; step++) {
            OptimizerFixtures.randomGrads(p, rng);
            for (Parameters.Entry e : p.entries()) {
                if (!e.trainable()) continue;
                for (int i = e.offset(); i < e.offset() + e.size(); i++) {
                    double g = p.grads[i] + wd * ref[i];
                    v[i] = alpha * v[i] + (1 - alpha) * g * g;
                    ref[i] -= lr * g / (Math.sqrt(v[i]) + eps);
                }
            }
            rms.step();
        }
        for (int i = 0; i < ref.length; i++) assertThat((double) p.values[i]).as("value %d", i).isCloseTo(ref[i], within(1e-5));
    }
}
