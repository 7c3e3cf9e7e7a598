package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ParameterGroupTest {

    /** dense0.weight (2), dense0.bias (1), norm1.running_mean (buffer, 2), dense10.weight (2), dense1.weight (2); all values 1, grads 1. */
    private static Parameters model() {
        Parameters.Builder b = Parameters.builder();
        b.add("dense0.weight", 2);
        b.add("dense0.bias", 1);
        b.add("norm1.running_mean", false, 2);
        b.add("dense10.weight", 2);
        b.add("dense1.weight", 2);
        Parameters p = b.build();
        Arrays.fill(p.values, 1f);
        for (Parameters.Entry e : p.entries()) {
            if (e.trainable()) Arrays.fill(p.grads, e.offset(), e.offset() + e.size(), 1f);
        }
        return p;
    }

    private static float[] values(Parameters p, String name) {
        return p.value(name).toArray();
    }

    @Test
    void by_default_one_group_holds_every_trainable_entry_and_buffers_are_untouched() {
        Parameters p = model();
        p.grads[p.entry("norm1.running_mean").offset()] = 5f; // even a stray buffer gradient must be ignored
        Sgd sgd = new Sgd(p, List.of(), 0.1f, 0.9f, false, 0.5f);
        sgd.step();
        assertThat(sgd.groups()).hasSize(1);
        assertThat(sgd.groups().get(0).name()).isEqualTo("default");
        assertThat(sgd.groups().get(0).entries()).extracting(Parameters.Entry::name)
                .containsExactly("dense0.weight", "dense0.bias", "dense10.weight", "dense1.weight");
        assertThat(values(p, "norm1.running_mean")).containsExactly(1f, 1f);
        float[] velocity = sgd.state().get("velocity");
        assertThat(velocity[3]).isZero();
        assertThat(velocity[4]).isZero();
        // g = 1 + 0.5 * 1 = 1.5; p = 1 - 0.1 * 1.5 = 0.85
        assertThat(values(p, "dense1.weight")).containsExactly(new float[] {0.85f, 0.85f}, within(1e-6f));
    }

    @Test
    void a_frozen_group_is_left_unchanged_while_the_rest_trains() {
        Parameters p = model();
        Adam adam = new Adam(p, List.of(ParameterGroup.prefix("dense0").freeze()), 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, false);
        adam.step();
        adam.step();
        assertThat(values(p, "dense0.weight")).containsExactly(1f, 1f);
        assertThat(values(p, "dense0.bias")).containsExactly(1f);
        assertThat(adam.state().get("m")[0]).isZero();
        assertThat(values(p, "dense1.weight")[0]).isLessThan(1f);
    }

    @Test
    void a_learning_rate_multiplier_scales_the_step() {
        Parameters p = model();
        Sgd sgd = new Sgd(p, List.of(ParameterGroup.prefix("dense1").withLrScale(0.5f)), 0.1f, 0f, false, 0f);
        sgd.step();
        // dense1: p = 1 - (0.5 * 0.1) * 1 = 0.95; everything else: p = 1 - 0.1 * 1 = 0.9
        assertThat(values(p, "dense1.weight")).containsExactly(new float[] {0.95f, 0.95f}, within(1e-6f));
        assertThat(values(p, "dense0.weight")).containsExactly(new float[] {0.9f, 0.9f}, within(1e-6f));
        sgd.setLearningRate(0.2f); // a schedule changes the base rate; the multiplier still applies
        sgd.step();
        assertThat(values(p, "dense1.weight")[0]).isCloseTo(0.85f, within(1e-6f));
    }

    @Test
    void a_group_can_switch_weight_decay_off_for_biases() {
        Parameters p = model();
        ParameterGroup noDecay = ParameterGroup.matching("no_decay", e -> e.name().endsWith(".bias")).withWeightDecay(0f);
        Sgd sgd = new Sgd(p, List.of(noDecay), 0.1f, 0f, false, 0.5f);
        sgd.step();
        assertThat(values(p, "dense0.bias")[0]).isCloseTo(0.9f, within(1e-6f));    // 1 - 0.1 * 1
        assertThat(values(p, "dense0.weight")[0]).isCloseTo(0.85f, within(1e-6f)); // 1 - 0.1 * (1 + 0.5)
        assertThat(sgd.groups()).extracting(GroupedOptimizer.Group::weightDecay).containsExactly(0f, 0.5f);
    }

    @Test
    void a_layer_prefix_does_not_capture_a_layer_whose_name_merely_starts_the_same() {
        Parameters p = model();
        Sgd sgd = new Sgd(p, List.of(ParameterGroup.prefix("dense1").freeze()), 0.1f, 0f, false, 0f);
        assertThat(sgd.groups().get(0).entries()).extracting(Parameters.Entry::name).containsExactly("dense1.weight");
        sgd.step();
        assertThat(values(p, "dense10.weight")[0]).isCloseTo(0.9f, within(1e-6f));
    }

    @Test
    void the_first_matching_group_wins() {
        Parameters p = model();
        Sgd sgd = new Sgd(p, List.of(
                ParameterGroup.prefix("dense0").withLrScale(0.1f),
                ParameterGroup.matching("weights", e -> e.name().endsWith(".weight")).withLrScale(2f)), 0.1f, 0f, false, 0f);
        assertThat(sgd.groups().get(0).entries()).extracting(Parameters.Entry::name).containsExactly("dense0.weight", "dense0.bias");
        assertThat(sgd.groups().get(1).entries()).extracting(Parameters.Entry::name).containsExactly("dense10.weight", "dense1.weight");
        assertThat(sgd.groups()).hasSize(2);
    }

    @Test
    void a_group_selecting_nothing_trainable_is_refused_by_name() {
        Parameters p = model();
        assertThatThrownBy(() -> new Sgd(p, List.of(ParameterGroup.prefix("dense7")), 0.1f, 0f, false, 0f))
                .hasMessageContaining("parameter group 'dense7' selects no trainable parameter");
        assertThatThrownBy(() -> new Sgd(p, List.of(ParameterGroup.prefix("norm1")), 0.1f, 0f, false, 0f))
                .hasMessageContaining("'norm1'");
        assertThatThrownBy(() -> ParameterGroup.prefix("x").withLrScale(-1f))
                .hasMessage("parameter group 'x': lrScale = -1.0 is not allowed; expected a number >= 0");
    }
}
