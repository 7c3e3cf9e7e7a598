package dev.nnlab.optim.schedule;

import dev.nnlab.optim.MetricMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReduceOnPlateauTest {

    @Test
    void halves_exactly_after_patience_validations_without_relative_improvement_and_not_before() {
        ReduceOnPlateau s = new ReduceOnPlateau(1f, MetricMode.MIN, 0.5, 3, 0.1, 0f);
        s.onValidation(10);   // first value is the best
        s.onValidation(9.5);  // needs < 10 - 0.1 * 10 = 9: bad 1
        s.onValidation(9.2);  // bad 2
        assertThat(s.lr(5)).isEqualTo(1f);
        assertThat(s.badValidations()).isEqualTo(2);
        s.onValidation(9.1);  // bad 3 = patience
        assertThat(s.lr(5)).isEqualTo(0.5f);
        assertThat(s.reductions()).isEqualTo(1);
        assertThat(s.badValidations()).isZero();
    }

    @Test
    void counting_restarts_after_each_reduction_and_each_improvement() {
        ReduceOnPlateau s = new ReduceOnPlateau(1f, MetricMode.MIN, 0.5, 2, 0.1, 0f);
        s.onValidation(10);
        s.onValidation(10);
        s.onValidation(10);   // reduce to 0.5
        s.onValidation(10);   // bad 1 of a new count
        assertThat(s.lr(0)).isEqualTo(0.5f);
        s.onValidation(8.9);  // < 9: improvement, best 8.9
        s.onValidation(8.9);
        assertThat(s.lr(0)).isEqualTo(0.5f);
        assertThat(s.best()).isEqualTo(8.9);
        s.onValidation(8.9);
        assertThat(s.lr(0)).isEqualTo(0.25f);
    }

    @Test
    void max_mode_reduces_when_accuracy_stops_rising() {
        ReduceOnPlateau s = new ReduceOnPlateau(0.8f, MetricMode.MAX, 0.5, 2, 0.0, 0f);
        s.onValidation(0.50);
        s.onValidation(0.60); // improvement
        s.onValidation(0.60); // equal is not better: bad 1
        assertThat(s.lr(0)).isEqualTo(0.8f);
        s.onValidation(0.55); // bad 2
        assertThat(s.lr(0)).isEqualTo(0.4f);
    }

    @Test
    void rate_never_goes_below_min_lr() {
        ReduceOnPlateau s = new ReduceOnPlateau(1f, MetricMode.MIN, 0.5, 1, 0, 0.3f);
        s.onValidation(1);
        s.onValidation(1);
        assertThat(s.lr(0)).isEqualTo(0.5f);
        s.onValidation(1);
        assertThat(s.lr(0)).isEqualTo(0.3f);
        s.onValidation(1);
        assertThat(s.lr(0)).isEqualTo(0.3f);
        assertThat(s.reductions()).isEqualTo(2);
    }

    @Test
    void nan_metric_counts_as_no_improvement() {
        ReduceOnPlateau s = new ReduceOnPlateau(1f, MetricMode.MIN, 0.5, 2, 0, 0f);
        s.onValidation(1);
        s.onValidation(Double.NaN);
        s.onValidation(Double.NaN);
        assertThat(s.lr(0)).isEqualTo(0.5f);
        assertThat(s.best()).isEqualTo(1.0);
    }

    @Test
    void relative_threshold_uses_the_magnitude_of_negative_metrics() {
        ReduceOnPlateau s = new ReduceOnPlateau(1f, MetricMode.MIN, 0.5, 1, 0.1, 0f);
        s.onValidation(-10);
        s.onValidation(-10.5); // needs < -10 - 1 = -11
        assertThat(s.lr(0)).isEqualTo(0.5f);
        s.onValidation(-11.5); // improvement
        assertThat(s.best()).isEqualTo(-11.5);
        assertThat(s.lr(0)).isEqualTo(0.5f);
    }
}
