package dev.nnlab.training;

import dev.nnlab.optim.MetricMode;

import dev.nnlab.nn.Parameters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BestEpochTrackerTest {

    private static Parameters params() {
        Parameters.Builder b = Parameters.builder();
        b.add("dense0.weight", 2);
        b.add("bn1.running_mean", false, 1);
        return b.build();
    }

    @Test
    void stops_after_patience_epochs_without_improvement_and_remembers_the_best_epoch() {
        BestEpochTracker es = new BestEpochTracker(MetricMode.MIN, 2, 0.0);
        assertThat(es.update(0, 1.0, null)).isTrue();
        assertThat(es.update(1, 0.8, null)).isTrue();
        assertThat(es.update(2, 0.9, null)).isFalse();
        assertThat(es.shouldStop()).isFalse();
        assertThat(es.update(3, 0.8, null)).isFalse(); // equal is not better
        assertThat(es.shouldStop()).isTrue();
        assertThat(es.bestEpoch()).isEqualTo(1);
        assertThat(es.bestMetric()).isEqualTo(0.8);
    }

    @Test
    void improvements_smaller_than_min_delta_do_not_count() {
        BestEpochTracker es = new BestEpochTracker(MetricMode.MAX, 3, 0.01);
        es.update(0, 0.90, null);
        assertThat(es.update(1, 0.905, null)).isFalse();
        assertThat(es.update(2, 0.92, null)).isTrue();
        assertThat(es.epochsWithoutImprovement()).isZero();
        assertThat(es.bestEpoch()).isEqualTo(2);
    }

    @Test
    void restores_the_values_of_the_best_epoch_including_buffers() {
        Parameters p = params();
        BestEpochTracker es = new BestEpochTracker(MetricMode.MIN, 5, 0.0);
        p.values[0] = 1; p.values[1] = 2; p.values[2] = 3;
        es.update(0, 0.5, p);
        p.values[0] = 9; p.values[1] = 9; p.values[2] = 9;
        es.update(1, 0.7, p);
        assertThat(es.bestValues()).containsExactly(1f, 2f, 3f);
        es.restoreBest(p);
        assertThat(p.values).containsExactly(1f, 2f, 3f);
    }

    @Test
    void nan_metric_never_becomes_the_best() {
        BestEpochTracker es = new BestEpochTracker(MetricMode.MIN, 1, 0.0);
        es.update(0, 2.0, null);
        assertThat(es.update(1, Double.NaN, null)).isFalse();
        assertThat(es.shouldStop()).isTrue();
        assertThat(es.bestMetric()).isEqualTo(2.0);
    }
}
