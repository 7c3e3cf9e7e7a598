package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OptimizerStateTest {

    @Test
    void state_restored_into_a_fresh_optimizer_gives_identical_subsequent_steps() {
        for (String name : OptimizerSpec.NAMES) {
            OptimizerSpec spec = OptimizerSpec.defaults(name, 0.05f).withWeightDecay(0.01f);
            Rng rng = new Rng(9);
            Parameters original = OptimizerFixtures.mixed(rng);
            Optimizer first = Optimizers.create(spec, original);
            for (int s = 0; s < 3; s++) {
                OptimizerFixtures.randomGrads(original, rng);
                first.step();
            }
            Map<String, float[]> saved = first.state();
            Parameters resumed = OptimizerFixtures.mixed(new Rng(0));
            System.arraycopy(original.values, 0, resumed.values, 0, original.size());
            Optimizer second = Optimizers.create(spec, resumed);
            second.restore(first.steps(), saved);
            assertThat(second.steps()).isEqualTo(3);

            Rng grads = new Rng(10);
            for (int s = 0; s < 2; s++) {
                OptimizerFixtures.randomGrads(original, grads);
                System.arraycopy(original.grads, 0, resumed.grads, 0, original.size());
                first.step();
                second.step();
            }
            assertThat(resumed.values).as(name).containsExactly(original.values);
            for (String key : saved.keySet()) {
                assertThat(second.state().get(key)).as(name + " " + key).containsExactly(first.state().get(key));
            }
        }
    }

    @Test
    void state_is_a_snapshot_that_training_does_not_change() {
        Parameters p = OptimizerFixtures.vector(1f);
        Adam adam = new Adam(p, 0.1f);
        OptimizerFixtures.setGrads(p, 1f);
        adam.step();
        float[] m = adam.state().get("m");
        adam.step();
        assertThat(m[0]).isCloseTo(0.1f, within(1e-6f)); // (1 - 0.9) * 1 after one step; the second step makes it 0.19
        assertThat(adam.state().keySet()).containsExactly("m", "v");
    }

    @Test
    void restore_refuses_wrong_names_and_lengths_with_clear_messages() {
        Parameters p = OptimizerFixtures.vector(1f, 2f);
        Adam adam = new Adam(p, 0.1f);
        assertThatThrownBy(() -> adam.restore(1, Map.of("velocity", new float[2])))
                .hasMessage("adam state needs arrays [m, v], got [velocity]");
        assertThatThrownBy(() -> adam.restore(1, Map.of("m", new float[2], "v", new float[3])))
                .hasMessage("adam state 'v' has 3 floats but the parameters have 2");
        assertThatThrownBy(() -> adam.restore(-1, Map.of("m", new float[2], "v", new float[2])))
                .hasMessageContaining("negative step count");
    }
}
