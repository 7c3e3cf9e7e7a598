package dev.nnlab.diagnostics;

import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.RunSink;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingDiagnosticsTest {
    final RecordingSink sink = new RecordingSink();
    final TrainingDiagnostics d = new TrainingDiagnostics(sink, Math.log(10), "ln(10)");

    @Test
    void an_initial_loss_near_ln_c_passes_and_one_far_from_it_warns() {
        d.onTrainLoss(0, 2.35);
        assertThat(sink.hasEvent("initial_loss_ok")).isTrue();
        assertThat(sink.hasEvent("initial_loss")).isFalse();

        RecordingSink other = new RecordingSink();
        new TrainingDiagnostics(other, Math.log(10), "ln(10)").onTrainLoss(0, 14.0);
        assertThat(other.events()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("initial_loss");
            assertThat(e.severity()).isEqualTo(RunSink.Severity.WARNING);
            assertThat(e.message()).contains("14").contains("2.303");
            assertThat(e.hint()).contains("init");
        });
    }

    @Test
    void nan_ends_the_run_and_is_reported_once_with_its_step() {
        assertThat(d.onTrainLoss(0, 2.3)).isTrue();
        assertThat(d.onTrainLoss(17, Double.NaN)).isFalse();
        assertThat(d.onTrainLoss(18, Double.POSITIVE_INFINITY)).isFalse();
        assertThat(sink.events()).filteredOn(e -> e.code().equals("nan")).singleElement()
                .satisfies(e -> assertThat(e.step()).isEqualTo(17));
    }

    @Test
    void a_loss_above_three_times_its_start_is_exploding_but_2_9_times_is_not() {
        d.onTrainLoss(0, 2.0);
        d.onTrainLoss(1, 5.8);
        assertThat(sink.hasEvent("exploding")).isFalse();
        d.onTrainLoss(2, 6.1);
        assertThat(sink.hasEvent("exploding")).isTrue();
    }

    @Test
    void a_fifth_of_a_layer_dead_is_information_and_more_than_half_a_warning_once_per_layer() {
        d.onLayerStat(10, "relu1", "dead_fraction", 0.19);
        assertThat(sink.events()).isEmpty();
        d.onLayerStat(20, "relu1", "dead_fraction", 0.35);
        d.onLayerStat(30, "relu1", "dead_fraction", 0.36);
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("dead_relu_20");
            assertThat(e.severity()).as("a third of a layer dead, as in a healthy W3 net").isEqualTo(RunSink.Severity.INFO);
            assertThat(e.message()).contains("35%").contains("every training sample since the previous point");
            assertThat(e.hint()).contains("Adam's first steps").contains("harmless");
        });
        d.onLayerStat(40, "relu1", "dead_fraction", 0.51);
        d.onLayerStat(40, "relu3", "dead_fraction", 0.22);
        assertThat(sink.events()).extracting(RecordingSink.Event::code).containsExactly("dead_relu_20", "dead_relu_50", "dead_relu_20");
        assertThat(sink.events().get(1).severity()).isEqualTo(RunSink.Severity.WARNING);
        assertThat(sink.events().get(1).hint()).contains("Lower the learning rate");
        d.onLayerStat(50, "relu1", "dead_fraction", 0.9);
        d.onLayerStat(50, "relu1", "act_mean", 0.9);
        assertThat(sink.events()).hasSize(3);
    }

    @Test
    void the_validation_probe_raises_the_same_events_and_says_it_was_the_probe() {
        d.onLayerStat(10, "relu1", "dead_fraction_probe", 0.18);
        assertThat(sink.events()).isEmpty();
        d.onLayerStat(20, "relu1", "dead_fraction_probe", 0.6);
        assertThat(sink.events()).extracting(RecordingSink.Event::code).containsExactly("dead_relu_50", "dead_relu_20");
        assertThat(sink.events().getFirst().message()).contains("60%").contains("validation probe");
        d.onLayerStat(30, "relu1", "dead_fraction", 0.8);
        assertThat(sink.events()).as("once per layer, whichever figure saw it first").hasSize(2);
    }

    @Test
    void negative_units_of_leaky_relu_are_no_dead_relu_warning_and_the_hint_says_they_still_pass_gradient() {
        d.onLayerStat(10, "leaky_relu1", "negative_fraction", 0.15);
        assertThat(sink.events()).isEmpty();
        d.onLayerStat(20, "leaky_relu1", "negative_fraction", 0.9);
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("negative_units");
            assertThat(e.severity()).isEqualTo(RunSink.Severity.INFO);
            assertThat(e.hint()).contains("still pass gradient");
        });
        assertThat(sink.hasEvent("dead_relu_20")).isFalse();
        assertThat(sink.hasEvent("dead_relu_50")).isFalse();
    }

    @Test
    void the_dead_relu_hint_that_suggests_leaky_relu_says_why() {
        d.onLayerStat(10, "relu1", "dead_fraction", 0.6);
        assertThat(sink.events()).filteredOn(e -> e.code().equals("dead_relu_50")).singleElement()
                .satisfies(e -> assertThat(e.hint()).contains("LeakyReLU").contains("still pass gradient"));
    }

    @Test
    void a_parameter_gone_non_finite_is_reported_as_nan_once() {
        d.onNonFiniteParameter(40, "dense2.weight");
        d.onTrainLoss(41, Double.NaN);
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("nan");
            assertThat(e.message()).contains("dense2.weight").contains("40");
        });
    }

    @Test
    void validation_loss_rising_for_two_epochs_while_training_falls_is_overfitting_with_the_best_epoch() {
        d.onEpoch(100, 1, 1.0, 0.90);
        d.onEpoch(200, 2, 0.8, 0.80);
        d.onEpoch(300, 3, 0.6, 0.85);
        assertThat(sink.hasEvent("overfitting")).isFalse();
        d.onEpoch(400, 4, 0.4, 0.95);
        assertThat(sink.events()).filteredOn(e -> e.code().equals("overfitting")).singleElement()
                .satisfies(e -> assertThat(e.hint()).contains("epoch 2"));
    }

    @Test
    void validation_rising_together_with_training_loss_is_not_overfitting() {
        d.onEpoch(100, 1, 1.0, 0.9);
        d.onEpoch(200, 2, 1.1, 1.0);
        d.onEpoch(300, 3, 1.2, 1.1);
        assertThat(sink.hasEvent("overfitting")).isFalse();
    }

    @Test
    void overfitting_needs_two_rising_epochs_in_a_row_so_one_noisy_epoch_is_not_overfitting() {
        double[][] epochs = {{1.0, 0.9}, {0.8, 0.7}, {0.7, 0.75}, {0.6, 0.6}, {0.5, 0.62}, {0.45, 0.55}};
        for (int e = 0; e < epochs.length; e++) d.onEpoch(100L * e, e + 1, epochs[e][0], epochs[e][1]);
        assertThat(sink.hasEvent("overfitting")).isFalse();
    }

    @Test
    void gradients_that_shrink_towards_the_input_but_stay_above_a_thousandth_are_not_vanishing() {
        // A deep ReLU stack with He init: the first layer's gradient a few times smaller than the last's.
        for (int step = 0; step < 20; step++) d.onGradientNorms(step, "dense0", 0.05 + 0.01 * step, "dense8", 1.2);
        d.onGradientNorms(20, "dense0", 0.0, "dense8", 0.0);  // a step with no gradient at all: nothing to compare
        assertThat(sink.hasEvent("vanishing_gradients")).isFalse();
    }

    @Test
    void a_noisy_loss_with_spikes_below_three_times_its_start_is_not_exploding() {
        d.onTrainLoss(0, 2.3);
        double[] losses = {2.1, 4.5, 1.9, 6.8, 1.5, 1.2, 5.0, 0.9};
        for (int i = 0; i < losses.length; i++) assertThat(d.onTrainLoss(i + 1, losses[i])).isTrue();
        assertThat(sink.hasEvent("exploding")).isFalse();
    }

    @Test
    void a_flat_loss_that_has_already_fallen_below_half_its_start_is_converged_not_a_plateau() {
        d.onTrainLoss(0, 2.3);
        for (int e = 1; e <= 8; e++) d.onEpoch(e, e, 0.40 - 0.0001 * e, Double.NaN);
        assertThat(sink.hasEvent("plateau")).isFalse();
    }

    @Test
    void a_first_layer_gradient_a_thousand_times_smaller_than_the_last_is_vanishing() {
        d.onGradientNorms(5, "dense0", 2e-3, "dense8", 1.0);
        assertThat(sink.hasEvent("vanishing_gradients")).isFalse();
        d.onGradientNorms(6, "dense0", 5e-4, "dense8", 1.0);
        assertThat(sink.events()).filteredOn(e -> e.code().equals("vanishing_gradients")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("dense0").contains("dense8"));
    }

    @Test
    void a_loss_flat_for_three_epochs_while_still_high_is_a_plateau() {
        d.onTrainLoss(0, 2.3);
        d.onEpoch(1, 1, 2.0, Double.NaN);
        d.onEpoch(2, 2, 1.995, Double.NaN);
        d.onEpoch(3, 3, 1.99, Double.NaN);
        assertThat(sink.hasEvent("plateau")).isFalse();
        d.onEpoch(4, 4, 1.985, Double.NaN);
        assertThat(sink.hasEvent("plateau")).isTrue();
    }

    @Test
    void a_loss_that_keeps_falling_is_no_plateau() {
        d.onTrainLoss(0, 2.3);
        double loss = 2.0;
        for (int e = 1; e <= 10; e++) d.onEpoch(e, e, loss *= 0.9, Double.NaN);
        assertThat(sink.hasEvent("plateau")).isFalse();
    }
}
