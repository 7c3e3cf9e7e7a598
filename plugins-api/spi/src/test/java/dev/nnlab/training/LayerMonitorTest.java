package dev.nnlab.training;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LayerMonitorTest {
    private static final double TOL = 1e-6;

    /** Runs a forward pass of a one-activation model with a preset output and measures it. */
    private static List<LayerStat> measurePreset(Tensor output, boolean reluFamily) {
        Sequential model = new Sequential(new int[] {1}, new FixturePresetActivation(output, reluFamily));
        model.forward(Tensor.zeros(output.rows(), 1), true);
        LayerMonitor monitor = new LayerMonitor(model, 1);
        monitor.beforeStep();
        return monitor.afterStep();
    }

    private static double stat(List<LayerStat> stats, String layer, String name) {
        return stats.stream().filter(s -> s.layer().equals(layer) && s.stat().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + layer + "/" + name + " in " + stats))
                .value();
    }

    @Test
    void dead_fraction_counts_units_zero_for_every_sample_and_not_those_zero_for_some() {
        // 4 samples x 8 units: units 1, 4, 6 are zero throughout; unit 2 is zero except in sample 3.
        Tensor y = Tensor.zeros(4, 8);
        for (int n = 0; n < 4; n++) for (int u : new int[] {0, 3, 5, 7}) y.set(1f, n, u);
        y.set(2f, 3, 2);
        List<LayerStat> stats = measurePreset(y, true);
        assertThat(stat(stats, "presetrelu0", LayerStat.DEAD_FRACTION)).isEqualTo(0.375);
        // 16 ones and one 2 among 32 outputs: mean 18/32, E[y^2] = 20/32.
        assertThat(stat(stats, "presetrelu0", LayerStat.ACT_MEAN)).isCloseTo(0.5625, within(TOL));
        assertThat(stat(stats, "presetrelu0", LayerStat.ACT_STD))
                .isCloseTo(Math.sqrt(20.0 / 32 - 0.5625 * 0.5625), within(TOL));
        assertThat(stats).extracting(LayerStat::stat).doesNotContain(LayerStat.SATURATION);
    }

    @Test
    void a_channel_is_dead_only_if_inactive_at_every_sample_and_position() {
        // (N, C, H, W) = (2, 3, 2, 2): channel 0 all zero, channel 1 fires once in sample 1, channel 2 always.
        Tensor y = Tensor.zeros(2, 3, 2, 2);
        y.set(0.5f, 1, 1, 1, 0);
        for (int n = 0; n < 2; n++) for (int h = 0; h < 2; h++) for (int w = 0; w < 2; w++) y.set(1f, n, 2, h, w);
        assertThat(stat(measurePreset(y, true), "presetrelu0", LayerStat.DEAD_FRACTION)).isCloseTo(1.0 / 3, within(TOL));
    }

    @Test
    void saturation_is_the_share_of_outputs_beyond_the_activations_threshold() {
        Tensor y = Tensor.of(new float[] {0.99f, -0.97f, 0.5f, 0.95f, -0.2f, 0f, 0.96f, -1f}, 2, 4);
        List<LayerStat> stats = measurePreset(y, false);
        // |y| > 0.95: 0.99, -0.97, 0.96, -1 -> 4 of 8 (0.95 itself is not beyond).
        assertThat(stat(stats, "presettanh0", LayerStat.SATURATION)).isEqualTo(0.5);
        assertThat(stat(stats, "presettanh0", LayerStat.ACT_MEAN)).isCloseTo((0.99 - 0.97 + 0.5 + 0.95 - 0.2 + 0.96 - 1) / 8, within(TOL));
        assertThat(stats).extracting(LayerStat::stat).doesNotContain(LayerStat.DEAD_FRACTION);
    }

    @Test
    void norms_and_update_ratio_of_a_plain_sgd_step_match_hand_computation() {
        Sequential model = new Sequential(new int[] {2}, new FixtureLinear(2));
        Parameters p = model.params();
        p.value("fixlinear0.weight").copyFrom(Tensor.of(new float[] {3, 0, 0, 4}, 2, 2)); // ||W|| = 5, bias 0
        p.grad("fixlinear0.weight").copyFrom(Tensor.of(new float[] {1, 2, 2, 0}, 2, 2));
        p.grad("fixlinear0.bias").copyFrom(Tensor.of(new float[] {0, 4}, 2));            // ||g|| = sqrt(1+4+4+16) = 5
        LayerMonitor monitor = new LayerMonitor(model, 1);
        List<LayerStat> stats = monitor.measureStep(new FixtureSgd(p, 0.1f, 0f));
        assertThat(stat(stats, "fixlinear0", LayerStat.GRAD_NORM)).isCloseTo(5.0, within(TOL));
        assertThat(stat(stats, "fixlinear0", LayerStat.WEIGHT_NORM)).isCloseTo(5.0, within(TOL));
        // ||delta|| = lr * ||g|| = 0.5, over ||W|| = 5.
        assertThat(stat(stats, "fixlinear0", LayerStat.UPDATE_RATIO)).isCloseTo(0.1, within(TOL));
        assertThat(p.value("fixlinear0.weight").at(0)).isEqualTo(2.9f);
    }

    @Test
    void update_ratio_is_left_out_while_the_weights_are_all_zero() {
        Sequential model = new Sequential(new int[] {2}, new FixtureLinear(2));
        Arrays.fill(model.params().grads, 1f);
        List<LayerStat> stats = new LayerMonitor(model, 1).measureStep(new FixtureSgd(model.params(), 0.1f, 0f));
        assertThat(stat(stats, "fixlinear0", LayerStat.WEIGHT_NORM)).isZero();
        assertThat(stats).extracting(LayerStat::stat).doesNotContain(LayerStat.UPDATE_RATIO);
    }

    @Test
    void a_training_step_yields_the_stable_stat_names_in_layer_order() {
        FixtureTraining t = new FixtureTraining(7);
        LayerMonitor monitor = new LayerMonitor(t.model, 5);
        assertThat(monitor.due(0)).isTrue();
        assertThat(monitor.due(3)).isFalse();
        assertThat(monitor.due(10)).isTrue();
        t.trainStep(monitor);
        assertThat(t.lastStats).extracting(s -> s.layer() + "/" + s.stat()).containsExactly(
                "fixlinear0/grad_norm", "fixlinear0/weight_norm", "fixlinear0/update_ratio",
                "fixrelu1/dead_fraction", "fixrelu1/act_mean", "fixrelu1/act_std",
                "fixlinear2/grad_norm", "fixlinear2/weight_norm", "fixlinear2/update_ratio");
    }

    @Test
    void measuring_a_step_does_not_change_training() {
        FixtureTraining plain = new FixtureTraining(7);
        FixtureTraining watched = new FixtureTraining(7);
        LayerMonitor monitor = new LayerMonitor(watched.model, 3);
        for (int i = 0; i < 12; i++) {
            plain.trainStep(null);
            watched.trainStep(monitor.due(watched.step) ? monitor : null);
        }
        assertThat(Arrays.equals(plain.model.params().values, watched.model.params().values)).isTrue();
    }

    @Test
    void after_step_without_before_step_is_refused() {
        Sequential model = new Sequential(new int[] {2}, new FixtureLinear(2));
        assertThatThrownBy(() -> new LayerMonitor(model, 1).afterStep()).isInstanceOf(IllegalStateException.class);
    }
}
