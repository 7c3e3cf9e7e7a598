package dev.nnlab.training;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingDeterminismTest {

    @Test
    void same_seed_gives_bit_identical_parameters_after_three_epochs() {
        FixtureTraining a = new FixtureTraining(7);
        FixtureTraining b = new FixtureTraining(7);
        int steps = 3 * a.batches.batchCount();
        a.run(steps);
        b.run(steps);
        // Arrays.equals on float[] compares bit patterns (floatToIntBits): a tolerance would hide drift.
        assertThat(Arrays.equals(a.model.params().values, b.model.params().values)).isTrue();
    }

    @Test
    void different_seed_gives_different_parameters() {
        FixtureTraining a = new FixtureTraining(7);
        FixtureTraining b = new FixtureTraining(8);
        int steps = 3 * a.batches.batchCount();
        a.run(steps);
        b.run(steps);
        assertThat(Arrays.equals(a.model.params().values, b.model.params().values)).isFalse();
    }

    @Test
    void fixture_training_actually_learns_so_the_comparison_is_meaningful() {
        FixtureTraining t = new FixtureTraining(7);
        double before = t.datasetLoss();
        t.run(5 * t.batches.batchCount());
        assertThat(t.datasetLoss()).isLessThan(0.7 * before);
    }
}
