package dev.nnlab.optim.schedule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DecaySchedulesTest {
    private static final double TOL = 1e-7;

    @Test
    void constant_schedule_never_changes() {
        LearningRateSchedule s = new ConstantSchedule(0.3f);
        assertThat(s.lr(0)).isEqualTo(0.3f);
        assertThat(s.lr(123.4)).isEqualTo(0.3f);
    }

    @Test
    void step_schedule_multiplies_by_gamma_exactly_at_each_step_boundary() {
        LearningRateSchedule s = new StepSchedule(0.1f, 0.5, 3);
        assertThat((double) s.lr(0)).isCloseTo(0.1, within(TOL));
        assertThat((double) s.lr(2.99)).isCloseTo(0.1, within(TOL));
        assertThat((double) s.lr(3)).isCloseTo(0.05, within(TOL));
        assertThat((double) s.lr(6.5)).isCloseTo(0.025, within(TOL));
        // Step 30 of 10 per epoch is epoch 3.0 exactly: the drop happens on that very step, not one later.
        assertThat((double) s.lr(LearningRateSchedule.epochOf(29, 10))).isCloseTo(0.1, within(TOL));
        assertThat((double) s.lr(LearningRateSchedule.epochOf(30, 10))).isCloseTo(0.05, within(TOL));
    }

    @Test
    void inverse_time_schedule_is_a_over_b_plus_t() {
        LearningRateSchedule s = new InverseTimeSchedule(1.0, 4.0);
        assertThat((double) s.lr(0)).isCloseTo(0.25, within(TOL));
        assertThat((double) s.lr(1)).isCloseTo(0.2, within(TOL));
        assertThat((double) s.lr(6)).isCloseTo(0.1, within(TOL));
    }

    @Test
    void inverse_time_from_initial_rate_starts_at_that_rate_and_halves_when_decay_times_t_is_one() {
        LearningRateSchedule s = InverseTimeSchedule.fromInitial(0.1f, 0.5);
        assertThat((double) s.lr(0)).isCloseTo(0.1, within(TOL));
        assertThat((double) s.lr(2)).isCloseTo(0.05, within(TOL));
        assertThat((double) s.lr(6)).isCloseTo(0.025, within(TOL));
    }

    @Test
    void exponential_schedule_decays_continuously_by_gamma_per_epoch() {
        LearningRateSchedule s = new ExponentialSchedule(0.2f, 0.5);
        assertThat((double) s.lr(0)).isCloseTo(0.2, within(TOL));
        assertThat((double) s.lr(0.5)).isCloseTo(0.2 * Math.sqrt(0.5), within(TOL));
        assertThat((double) s.lr(2)).isCloseTo(0.05, within(TOL));
    }

    @Test
    void cosine_schedule_follows_the_half_cosine_to_the_minimum_and_stays_there() {
        LearningRateSchedule s = new CosineSchedule(1f, 0.1f, 10);
        assertThat((double) s.lr(0)).isCloseTo(1.0, within(TOL));
        // 0.1 + 0.9 * (1 + cos(pi / 4)) / 2 = 0.1 + 0.45 * 1.7071068
        assertThat((double) s.lr(2.5)).isCloseTo(0.8681981, within(TOL));
        assertThat((double) s.lr(5)).isCloseTo(0.55, within(TOL));
        assertThat((double) s.lr(10)).isCloseTo(0.1, within(TOL));
        assertThat((double) s.lr(20)).isCloseTo(0.1, within(TOL));
    }

    @Test
    void invalid_schedule_arguments_are_refused_with_the_field_name() {
        assertThatThrownBy(() -> new StepSchedule(0.1f, 1.5, 3)).hasMessageContaining("gamma = 1.5");
        assertThatThrownBy(() -> new CosineSchedule(0.1f, 0.2f, 10)).hasMessageContaining("minLr");
        assertThatThrownBy(() -> new ExponentialSchedule(-1f, 0.5)).hasMessageContaining("lr = -1.0");
        assertThatThrownBy(() -> LearningRateSchedule.epochOf(3, 0)).hasMessageContaining("stepsPerEpoch");
    }
}
