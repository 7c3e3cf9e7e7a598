package dev.nnlab.optim.schedule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WarmupScheduleTest {
    private static final double TOL = 1e-7;

    @Test
    void warmup_from_zero_ramps_linearly_to_the_base_rate() {
        LearningRateSchedule s = new WarmupSchedule(new ConstantSchedule(0.4f), 2, 0);
        assertThat((double) s.lr(0)).isCloseTo(0.0, within(TOL));
        assertThat((double) s.lr(0.5)).isCloseTo(0.1, within(TOL));
        assertThat((double) s.lr(1)).isCloseTo(0.2, within(TOL));
        assertThat((double) s.lr(2)).isCloseTo(0.4, within(TOL));
        assertThat((double) s.lr(7)).isCloseTo(0.4, within(TOL));
    }

    @Test
    void default_warmup_starts_at_one_percent_so_the_first_step_moves() {
        LearningRateSchedule s = new WarmupSchedule(new ConstantSchedule(0.4f), 2);
        assertThat((double) s.lr(0)).isCloseTo(0.004, within(TOL));
        // 0.4 * (0.01 + 0.99 * 0.5)
        assertThat((double) s.lr(1)).isCloseTo(0.202, within(TOL));
    }

    @Test
    void warmup_is_per_step_when_the_epoch_position_is_fractional() {
        LearningRateSchedule s = new WarmupSchedule(new ConstantSchedule(1f), 1, 0);
        int stepsPerEpoch = 4;
        for (int step = 0; step <= 4; step++) {
            assertThat((double) s.lr(LearningRateSchedule.epochOf(step, stepsPerEpoch))).isCloseTo(step / 4.0, within(TOL));
        }
    }

    @Test
    void base_schedule_clock_starts_when_warmup_ends() {
        LearningRateSchedule s = new WarmupSchedule(new CosineSchedule(1f, 0f, 4), 1, 0);
        assertThat((double) s.lr(0.5)).isCloseTo(0.5, within(TOL));
        assertThat((double) s.lr(1)).isCloseTo(1.0, within(TOL));
        // Two epochs into the 4-epoch cosine: (1 + cos(pi / 2)) / 2 = 0.5.
        assertThat((double) s.lr(3)).isCloseTo(0.5, within(TOL));
        assertThat((double) s.lr(5)).isCloseTo(0.0, within(TOL));
    }

    @Test
    void warmup_forwards_validation_metrics_to_a_plateau_schedule() {
        ReduceOnPlateau plateau = new ReduceOnPlateau(1f, dev.nnlab.optim.MetricMode.MIN, 0.5, 1, 0, 0f);
        LearningRateSchedule s = new WarmupSchedule(plateau, 1, 0);
        s.onValidation(1.0);
        s.onValidation(1.0);
        assertThat(s.lr(3)).isEqualTo(0.5f);
        assertThat((double) s.lr(0.5)).isCloseTo(0.25, within(TOL));
    }
}
