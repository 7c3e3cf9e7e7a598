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
    void dead_relu_shares_above_10_and_20_percent_warn_once_per_layer() {
        d.onLayerStat(10, "relu1", "dead_fraction", 0.09);
        assertThat(sink.events()).isEmpty();
        d.onLayerStat(20, "relu1", "dead_fraction", 0.15);
        d.onLayerStat(30, "relu1", "dead_fraction", 0.16);
        assertThat(sink.events()).extracting(RecordingSink.Event::code).containsExactly("dead_relu_10");
        d.onLayerStat(40, "relu1", "dead_fraction", 0.25);
        d.onLayerStat(40, "relu3", "dead_fraction", 0.12);
        assertThat(sink.events()).extracting(RecordingSink.Event::code).containsExactly("dead_relu_10", "dead_relu_20", "dead_relu_10");
        assertThat(sink.events().get(1).hint()).contains("Learning rate may be too high");
        d.onLayerStat(50, "relu1", "act_mean", 0.9);
        assertThat(sink.events()).hasSize(3);
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
