package dev.nnlab.training;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.Dropout;
import dev.nnlab.nn.layers.LeakyReLU;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.tensor.Rng;
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
        monitor.observeBatch();
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
        LayerMonitor every5 = new LayerMonitor(t.model, 5);
        assertThat(every5.due(0)).isTrue();
        assertThat(every5.due(3)).isFalse();
        assertThat(every5.due(10)).isTrue();
        t.trainStep(new LayerMonitor(t.model, 1));
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

    /** A one-ReLU-layer model whose output is {@code batch}, observed as one more training batch. */
    private static void observe(LayerMonitor monitor, Sequential model, Tensor batch) {
        model.forward(Tensor.zeros(batch.rows(), 1), true);
        monitor.observeBatch();
    }

    @Test
    void a_unit_that_fires_on_one_sample_in_the_window_is_alive() {
        // 4 samples x 8 units. Batch A: units 0, 1, 3, 4, 5 fire. Batch B: only unit 2, in sample 3.
        Tensor y = Tensor.zeros(4, 8);
        Sequential model = new Sequential(new int[] {1}, new FixturePresetActivation(y, true));
        LayerMonitor monitor = new LayerMonitor(model, 2);
        for (int n = 0; n < 4; n++) for (int u : new int[] {0, 1, 3, 4, 5}) y.set(1f, n, u);
        observe(monitor, model, y);
        y.fill(0f);
        y.set(0.001f, 3, 2);
        observe(monitor, model, y);
        monitor.beforeStep();
        // Batch B alone would say 7/8 dead, batch A alone 3/8: over the window only units 6 and 7 never fired.
        assertThat(stat(monitor.afterStep(), "presetrelu0", LayerStat.DEAD_FRACTION)).isEqualTo(0.25);
    }

    @Test
    void the_window_starts_afresh_after_each_measurement() {
        Tensor y = Tensor.zeros(2, 4);
        Sequential model = new Sequential(new int[] {1}, new FixturePresetActivation(y, true));
        LayerMonitor monitor = new LayerMonitor(model, 1);
        y.set(1f, 0, 0);
        y.set(1f, 1, 1);
        observe(monitor, model, y);
        monitor.beforeStep();
        assertThat(stat(monitor.afterStep(), "presetrelu0", LayerStat.DEAD_FRACTION)).isEqualTo(0.5);
        y.fill(0f);
        y.set(1f, 0, 3);
        observe(monitor, model, y);
        monitor.beforeStep();
        assertThat(stat(monitor.afterStep(), "presetrelu0", LayerStat.DEAD_FRACTION)).isEqualTo(0.75);
    }

    @Test
    void a_window_shorter_than_the_logging_interval_is_carried_into_the_next_one() {
        Tensor y = Tensor.zeros(2, 4);
        Sequential model = new Sequential(new int[] {1}, new FixturePresetActivation(y, true));
        LayerMonitor monitor = new LayerMonitor(model, 3);
        y.set(1f, 0, 0);
        observe(monitor, model, y);                 // step 0: measured, but one batch is no window
        monitor.beforeStep();
        List<LayerStat> first = monitor.afterStep();
        assertThat(first).extracting(LayerStat::stat).doesNotContain(LayerStat.DEAD_FRACTION).contains(LayerStat.ACT_MEAN);
        y.fill(0f);
        for (int step = 1; step <= 3; step++) {
            if (step == 2) y.set(1f, 1, 1);
            observe(monitor, model, y);
        }
        monitor.beforeStep();                       // step 3: batches 0..3, units 0 and 1 fired
        assertThat(stat(monitor.afterStep(), "presetrelu0", LayerStat.DEAD_FRACTION)).isEqualTo(0.5);
    }

    @Test
    void units_on_another_axis_fire_at_any_position_of_the_others() {
        // (N, T, H) = (2, 3, 4) with the units on the last axis: unit h fired if positive at some n and t.
        Tensor y = Tensor.zeros(2, 3, 4);
        y.set(1f, 1, 2, 0);
        y.set(1f, 0, 1, 3);
        Sequential model = new Sequential(new int[] {1}, new FixturePresetActivation(y, true, 1));
        LayerMonitor monitor = new LayerMonitor(model, 1);
        observe(monitor, model, y);
        monitor.beforeStep();
        assertThat(stat(monitor.afterStep(), "presetrelu0", LayerStat.DEAD_FRACTION)).isEqualTo(0.5);
    }

    @Test
    void leaky_relu_units_report_negative_fraction_not_dead_fraction() {
        Sequential model = new Sequential(new int[] {3}, new LeakyReLU(0.01f));
        LayerMonitor monitor = new LayerMonitor(model, 2);
        // unit 0 always negative, unit 1 positive in the second batch only, unit 2 always positive
        model.forward(Tensor.of(new float[] {-1, -2, 3, -4, -5, 6}, 2, 3), true);
        monitor.observeBatch();
        model.forward(Tensor.of(new float[] {-1, 2, 3, -4, -5, 6}, 2, 3), true);
        monitor.observeBatch();
        monitor.beforeStep();
        List<LayerStat> stats = monitor.afterStep();
        assertThat(stat(stats, "leaky_relu0", LayerStat.NEGATIVE_FRACTION)).isCloseTo(1.0 / 3, within(TOL));
        assertThat(stats).extracting(LayerStat::stat).doesNotContain(LayerStat.DEAD_FRACTION);
        assertThat(monitor.probe(Tensor.of(new float[] {-1, -1, -1}, 1, 3))).as("no probe: these cannot die").isEmpty();

        Sequential zeroSlope = new Sequential(new int[] {3}, new LeakyReLU(0f));
        zeroSlope.forward(Tensor.of(new float[] {-1, 2, -3}, 1, 3), true);
        LayerMonitor m = new LayerMonitor(zeroSlope, 1);
        m.observeBatch();
        m.beforeStep();
        assertThat(stat(m.afterStep(), "leaky_relu0", LayerStat.DEAD_FRACTION)).as("slope 0 is a ReLU").isCloseTo(2.0 / 3, within(TOL));
    }

    @Test
    void the_probe_counts_units_that_fire_on_none_of_its_samples_in_evaluation_mode() {
        // Dropout in front: in training mode it could zero an input; in evaluation mode it passes x through.
        Sequential model = new Sequential(new int[] {3}, new Dropout(0.999f), new ReLU());
        model.initialize(new Rng(3));
        LayerMonitor monitor = new LayerMonitor(model, 1);
        Tensor x = Tensor.zeros(1200, 3);
        for (int n = 0; n < 1200; n++) {
            x.set(-1f, n, 0);
            x.set(n == 1100 ? 1f : -1f, n, 1);  // fires on one sample, in the second evaluation chunk
            x.set(1f, n, 2);
        }
        List<LayerStat> stats = monitor.probe(x);
        assertThat(stats).singleElement().satisfies(s -> {
            assertThat(s.layer()).isEqualTo("relu1");
            assertThat(s.stat()).isEqualTo(LayerStat.DEAD_FRACTION_PROBE);
            assertThat(s.value()).isCloseTo(1.0 / 3, within(TOL));
        });
        assertThat(monitor.probe(x.slice(0, 1000)).getFirst().value()).as("a probe starts afresh").isCloseTo(2.0 / 3, within(TOL));
    }

    @Test
    void probe_rows_are_fixed_and_evenly_spaced_over_the_set() {
        Tensor x = Tensor.zeros(10, 2);
        for (int n = 0; n < 10; n++) x.set(n, n, 0);
        Tensor p = LayerMonitor.probeRows(x, 4);
        assertThat(p.shape()).containsExactly(4, 2);
        assertThat(new float[] {p.get(0, 0), p.get(1, 0), p.get(2, 0), p.get(3, 0)}).containsExactly(0f, 2f, 5f, 7f);
        assertThat(LayerMonitor.probeRows(x, 1000).rows()).isEqualTo(10);
    }

    @Test
    void after_step_without_before_step_is_refused() {
        Sequential model = new Sequential(new int[] {2}, new FixtureLinear(2));
        assertThatThrownBy(() -> new LayerMonitor(model, 1).afterStep()).isInstanceOf(IllegalStateException.class);
    }
}
